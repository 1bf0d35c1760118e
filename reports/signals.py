"""Signals of the reports app, sent once a change commits (core.actions.announce); the
notifications app tells the people the policy names (notifications/reports_notices.py)."""

from django.dispatch import Signal

# report, submission, actor: a version was submitted; its receivers are asked to review it.
report_submitted = Signal()
# report, submission, actor: the receiver accepted or returned it; its writers are told.
report_decided = Signal()
