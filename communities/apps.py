from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from people import permissions as people_permissions

        from . import contributions, permissions

        contributions.connect()
        people_permissions.register_databank_grant(permissions.leads_member_of)
