from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants a kind of notice: in the app only, e-mailed at once, or in a digest."""

    APP = "app", _("In the app only")
    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")


class Notification(models.Model):
    """An in-app notice (and the email sent with it). `key` makes each notice happen once."""

    class Kind(models.TextChoices):
        PLAN_WAITING = "plan_waiting", _("Plan waits for approval")
        PLAN_RETURNED = "plan_returned", _("Plan sent back")
        PLAN_APPROVED = "plan_approved", _("Plan approved")
        PLAN_REVISED = "plan_revised", _("Plan revision started")
        MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
        MEETING_MOVED = "meeting_moved", _("Meeting moved")
        MEETING_TO_AGREE = "meeting_to_agree", _("Meeting time and place to agree")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_SOON = "meeting_soon", _("Meeting soon")
        MINUTES_SIGNED = "minutes_signed", _("Minutes signed")
        DECISION_ASSIGNED = "decision_assigned", _("Decision assigned to me")
        DECISION_CHANGED = "decision_changed", _("My decision changed")
        DECISION_DUE = "decision_due", _("Decision due soon")
        DECISION_OVERDUE = "decision_overdue", _("Decision overdue")
        INVITATION = "invitation", _("Invitation to a community")
        JOIN_REQUEST = "join_request", _("Request to join")
        REQUEST_DECIDED = "request_decided", _("Invitation or request answered")
        CADENCE_BEHIND = "cadence_behind", _("Community behind its meeting cadence")
        EVENT_ANNOUNCED = "event_announced", _("New event for me")
        EVENT_CHANGED = "event_changed", _("Event I registered for changed")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        EVENT_SOON = "event_soon", _("Event soon")
        EVENT_PLACE = "event_place", _("Place at an event freed for me")
        EVENT_FEEDBACK = "event_feedback", _("Feedback on an event asked")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        SURVEY_ASKED = "survey_asked", _("Survey to answer")
        OBSERVATION_ASKED = "observation_asked", _("Lesson to observe")
        CYCLE_STEP = "cycle_step", _("Lesson-study cycle moved on")
        MENTORING_PAIRED = "mentoring_paired", _("Mentoring pair formed")
        MENTORING_REPORT = "mentoring_report", _("Mentoring report due or sent")
        MENTORING_SESSION = "mentoring_session", _("Mentoring session logged")
        REPORT_DUE = "report_due", _("Year's report due")
        REPORT_TO_REVIEW = "report_to_review", _("Year's report to review")
        REPORT_DECIDED = "report_decided", _("Year's report accepted or returned")
        CONSULTATION_ASKED = "consult_asked", _("Consultation question addressed to me")
        CONSULTATION_TAKEN = "consult_taken", _("My consultation question taken")
        CONSULTATION_ANSWERED = "consult_answered", _("My consultation question answered")
        CONSULTATION_RATED = "consult_rated", _("My consultation answer rated")
        CONSULTATION_OVERDUE = "consult_overdue", _("Consultation question overdue")
        POST_ANNOUNCED = "post_announced", _("Announcement in my community")
        POST_MENTION = "post_mention", _("I was mentioned in a post or comment")
        RESOURCE_TO_REVIEW = "resource_to_review", _("Resource to review")
        RESOURCE_REVIEWED = "resource_reviewed", _("My resource published or returned")
        MODERATION_REPORT = "moderation_report", _("Report to moderate in my community")
        MODERATED = "moderated", _("A moderator acted on my post, comment or membership")
        POLL_CLOSED = "poll_closed", _("A poll I voted in or wrote closed")
        PUBLICATION_PLANNED = "pub_planned", _("A publication planned for me")
        PUBLICATION_DUE = "pub_due", _("My planned publication due soon or overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    # How it was to be delivered when it was made (the recipient's preference then).
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notification_key")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["delivery", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """A person's choice of delivery for one kind of notice; without one, e-mail at once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Notification.Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="uniq_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind}: {self.delivery}"


class Digest(models.Model):
    """One daily digest e-mail sent to one person: the key that makes it happen once a day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="uniq_notification_digest")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.day}"
