from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tooling: the demo region (`load_demo`) and the benchmark (`bench`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "devtools"
    verbose_name = "Development tools"
