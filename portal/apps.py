from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Pages composed from several apps: the dashboard. Nothing below imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Portal"
