"""Notices of the surveys app's signals (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from surveys import permissions as survey_permissions
from surveys import signals as survey_signals
from surveys.models import Survey

from .delivery import Notice, deliver
from .models import Notification


def on_survey_opened(sender, *, survey: Survey, actor=None, **kwargs):
    """The audience is asked to answer (a survey open to anyone signed in asks nobody in
    particular); the dashboard lists the same people's surveys (surveys.permissions.waiting_q)."""
    survey = Survey.objects.select_related("community", "organisation", "network", "territory").get(
        pk=survey.pk
    )
    title = survey.title
    notice = Notice(
        Notification.Kind.SURVEY_ASKED,
        f"survey-{survey.pk}-asked",
        lambda: _("Please answer the survey «%(title)s»") % {"title": title},
        reverse("surveys:answer", args=[survey.pk]),
    )
    deliver(survey_permissions.audience_people(survey).iterator(), notice, actor=actor)


def connect() -> None:
    """Connect this module's receivers to the surveys app's signals."""
    survey_signals.survey_opened.connect(
        on_survey_opened, dispatch_uid="notifications.on_survey_opened"
    )
