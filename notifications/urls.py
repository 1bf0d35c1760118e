from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_all_read, name="read"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
]
