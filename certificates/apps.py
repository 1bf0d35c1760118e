from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from events import signals as event_signals

        from . import indicators, measures, services

        indicators.connect()
        measures.connect()

        # Certificates are issued as soon as an event is marked held (attendance closed).
        event_signals.event_held.connect(
            services.on_event_held, dispatch_uid="certificates.on_event_held"
        )
