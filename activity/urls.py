from django.urls import path

from . import views

app_name = "activity"

urlpatterns = [
    path("communities/<int:pk>/statistics/", views.statistics, name="statistics"),
    path("communities/<int:pk>/statistics.csv", views.export_csv, name="export_csv"),
    path("communities/<int:pk>/statistics.xlsx", views.export_xlsx, name="export_xlsx"),
]
