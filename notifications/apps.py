from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import (
            certificates_notices,
            consultations_notices,
            discussions_notices,
            events_notices,
            lesson_study_notices,
            mentoring_notices,
            receivers,
            reports_notices,
            resources_notices,
            surveys_notices,
        )

        receivers.connect()
        for notices in (
            events_notices,
            certificates_notices,
            surveys_notices,
            lesson_study_notices,
            mentoring_notices,
            reports_notices,
            consultations_notices,
            discussions_notices,
            resources_notices,
        ):
            notices.connect()
