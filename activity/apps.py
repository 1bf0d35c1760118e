from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activity"
    verbose_name = _("Activity statistics")

    def ready(self) -> None:
        from . import contributions, receivers

        receivers.connect()
        contributions.connect()
