from django.urls import path

from . import views

# collegium/urls.py adds the evidence page of a plan item (planning:item_evidence), which the
# meetings app serves, to this namespace.
app_name = "planning"

urlpatterns = [
    path("communities/<int:community_pk>/plans/", views.plan_list, name="list"),
    path("communities/<int:community_pk>/plans/new/", views.plan_create, name="create"),
    path("networks/<int:network_pk>/research-plans/", views.research_plans, name="research_plans"),
    path(
        "networks/<int:network_pk>/research-plans/new/",
        views.research_plan_edit,
        name="research_plan_create",
    ),
    path(
        "networks/<int:network_pk>/research-plans/<int:pk>/edit/",
        views.research_plan_edit,
        name="research_plan_edit",
    ),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/edit/row/", views.plan_edit_row, name="edit_row"),
    path("plans/<int:pk>/changes/", views.plan_changes, name="changes"),
    path("plans/<int:pk>/plan.docx", views.plan_export, {"fmt": "docx"}, name="export_docx"),
    path("plans/<int:pk>/plan.pdf", views.plan_export, {"fmt": "pdf"}, name="export_pdf"),
    path("plans/<int:pk>/<slug:step>/", views.plan_step, name="step"),
    path("plan-items/<int:item_pk>/done/", views.item_done, name="item_done"),
    path("plan-targets/<int:target_pk>/actual/", views.target_actual, name="target_actual"),
]
