from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonStudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lesson_study"
    verbose_name = _("Lesson study and lesson visits")

    def ready(self) -> None:
        from . import contributions

        contributions.connect()
