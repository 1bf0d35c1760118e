from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from core import scopes

        from . import measures, middleware, roles

        scopes.register(load=roles.load_scopes, load_regions=roles.region_paths_of)
        measures.connect()
        middleware.connect()
