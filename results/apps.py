from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "results"
    verbose_name = _("Pupils' results")

    def ready(self):
        from . import contributions, rollups

        contributions.connect()
        rollups.connect()
