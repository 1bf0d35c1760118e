"""The plan's way to approval as one table of transitions (004 §3.2; 003 app. 4 §4.5).

A school community's plan is discussed by its members, agreed by the deputy director and approved
by the director; any other community's plan goes from the discussion straight to whoever its
kind names as approver. Each row says which step takes a plan from which status to which, and
which role takes it. The policy (`permissions.may_take`) answers who holds the role; the
services take the step; pages, API, reminders and tests read the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ApprovalStep, Plan

Status = Plan.Status
Action = ApprovalStep.Action


class Step(models.TextChoices):
    DISCUSS = "discuss", _("Discussed at a meeting: send for approval")
    AGREE = "agree", _("Agree")
    APPROVE = "approve", _("Approve")
    SEND_BACK = "send-back", _("Send back with the comment")
    REVISE = "revise", _("Start a new revision")


class Role(models.TextChoices):
    EDITOR = "editor", _("the community's leader")
    AGREER = "agreer", _("the deputy director")
    APPROVER = "approver", _("the plan's approver")


@dataclass(frozen=True)
class Transition:
    step: str
    source: str
    target: str  # for a revision: the status of the new revision
    role: str
    action: str  # what the plan's history records
    agreement: bool | None  # the route: with the deputy's agreement, without, or either


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Step.DISCUSS, Status.DRAFT, Status.DISCUSSED, Role.EDITOR, Action.DISCUSSED, None),
    Transition(Step.AGREE, Status.DISCUSSED, Status.AGREED, Role.AGREER, Action.AGREED, True),
    Transition(Step.APPROVE, Status.AGREED, Status.APPROVED, Role.APPROVER, Action.APPROVED, True),
    Transition(
        Step.APPROVE, Status.DISCUSSED, Status.APPROVED, Role.APPROVER, Action.APPROVED, False
    ),
    Transition(Step.SEND_BACK, Status.DISCUSSED, Status.DRAFT, Role.AGREER, Action.RETURNED, True),
    Transition(Step.SEND_BACK, Status.AGREED, Status.DRAFT, Role.APPROVER, Action.RETURNED, True),
    Transition(
        Step.SEND_BACK, Status.DISCUSSED, Status.DRAFT, Role.APPROVER, Action.RETURNED, False
    ),
    Transition(Step.REVISE, Status.APPROVED, Status.DRAFT, Role.EDITOR, Action.REVISED, None),
)


def needs_agreement(plan: Plan) -> bool:
    """School communities' plans are agreed by the deputy director before the director
    approves them."""
    return plan.community.organisation_id is not None


def transition(plan: Plan, step: str) -> Transition | None:
    """The row that takes this plan, in its status and on its route, by this step; or None."""
    route = needs_agreement(plan)
    for row in TRANSITIONS:
        if (
            row.step == step
            and row.source == plan.status
            and row.agreement in (None, route)
            and not (step == Step.REVISE and _has_next_revision(plan))
        ):
            return row
    return None


def next_steps(plan: Plan) -> list[Transition]:
    """Every step the plan can take now, whoever takes it."""
    return [t for step in Step if (t := transition(plan, step)) is not None]


def _has_next_revision(plan: Plan) -> bool:
    """An approved plan is revised once: later changes go into its newest revision."""
    return hasattr(plan, "next_revision")
