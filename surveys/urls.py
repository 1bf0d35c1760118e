from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/needs-map/", views.needs_map, name="needs_map"),
    path("surveys/needs-map/plan-item/", views.needs_plan_item, name="needs_plan_item"),
    path("surveys/needs-map/event/", views.needs_event, name="needs_event"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:pk>/edit/row/", views.survey_edit_row, name="edit_row"),
    path("surveys/<int:pk>/open/", views.survey_open, name="open"),
    path("surveys/<int:pk>/close/", views.survey_close, name="close"),
    path("surveys/<int:pk>/delete/", views.survey_delete, name="delete"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="results"),
    path("surveys/<int:pk>/results.xlsx", views.survey_export, name="export"),
]
