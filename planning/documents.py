"""The plan of work as DOCX and PDF in the table layout of 004's plan."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    docx_bytes,
    docx_heading,
    docx_paragraph,
    docx_run,
    docx_table,
    new_docx,
    pdf_paragraph,
    pdf_styles,
    pdf_table,
)
from core.text import plain_number

from . import indicators
from .models import ApprovalStep, Plan


def _title(plan: Plan) -> str:
    return _("Plan of work of «%(community)s» for the %(year)s school year") % {
        "community": plan.community.name,
        "year": plan.school_year_label,
    }


def _sections(plan: Plan) -> list[tuple[str, str]]:
    return [
        (_("Priority directions"), plan.priority_directions),
        (_("Theme"), plan.theme),
        (_("Goals"), plan.goals),
        (_("Tasks"), plan.tasks),
    ]


def _target_rows(plan: Plan) -> list[list[str]]:
    rows = [
        [
            _("Expected result"),
            _("Baseline"),
            _("Target"),
            _("Responsible"),
            _("How it is measured"),
        ]
    ]
    for t in plan.targets.all():
        rows.append([
            t.indicator,
            "" if t.baseline is None else f"{plain_number(t.baseline)} {t.unit}",
            f"{plain_number(t.target)} {t.unit}",
            t.responsible,
            t.measurement or _formula(t),
        ])  # fmt: skip
    return rows


def _formula(target) -> str:
    """A computed target is measured by its source's formula."""
    source = indicators.get(target.source) if target.source else None
    return str(source.formula) if source else ""


def _meeting_rows(plan: Plan) -> list[list[str]]:
    """The seed plan's four columns: content, actions, leaders, monitoring of execution."""
    rows = [[_("Content"), _("Actions"), _("Leaders"), _("Monitoring of execution")]]
    for n, meeting in enumerate(plan.meetings.all(), start=1):
        rows.append([
            _("Meeting %(n)s. %(month)s.") % {"n": n, "month": meeting.get_month_display()}
            + f"\n«{meeting.title}»", "", "", "",
        ])  # fmt: skip
        for item in meeting.items.all():
            rows.append([item.section, item.action, item.leaders, item.evidence])
    return rows


def _approval_lines(plan: Plan) -> list[str]:
    return [
        f"{step.get_action_display()}: {step.actor.full_name}, "
        f"{timezone.localtime(step.at):%d.%m.%Y}" + (f" — {step.comment}" if step.comment else "")
        for step in plan.steps.all()
    ]


def _approval_block(plan: Plan) -> list[str]:
    """The «УТВЕРЖДАЮ» block of 004's plan: the approver's position, a signature line with the
    name, and the date — filled in once the plan is approved, left to fill in by hand before."""
    approved = next((s for s in plan.steps.all() if s.action == ApprovalStep.Action.APPROVED), None)
    name = approved.actor.full_name if approved and approved.actor else ""
    return [
        _("APPROVED"),
        f"{plan.community.kind.get_plan_approver_display()}, {plan.community.host.name}",
        f"__________________ {name}".rstrip(),
        timezone.localtime(approved.at).strftime("%d.%m.%Y")
        if approved
        else _("«___» ____________ 20___"),
    ]


def plan_docx(plan: Plan) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(title=_title(plan), organisation=plan.community.host.name, landscape=True)
    for n, line in enumerate(_approval_block(plan)):
        paragraph = docx_paragraph(document)
        docx_run(paragraph, line, bold=n == 0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in _approval_lines(plan):
        docx_paragraph(document, line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    docx_heading(document, _title(plan), level=1)
    for label, text in _sections(plan):
        if text:
            paragraph = docx_paragraph(document)
            docx_run(paragraph, f"{label}: ", bold=True)
            docx_run(paragraph, text)
    docx_heading(document, _("Expected results"), level=2)
    docx_table(document, _target_rows(plan))
    docx_heading(document, _("Meeting plan"), level=2)
    docx_table(document, _meeting_rows(plan))
    return docx_bytes(document)


def plan_pdf(plan: Plan) -> bytes:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    styles = pdf_styles()
    right = ParagraphStyle("right", parent=styles["BodyText"], alignment=TA_RIGHT)
    story = [pdf_paragraph(line, right) for line in _approval_block(plan)]
    story += [pdf_paragraph(line, right) for line in _approval_lines(plan)]
    story.append(pdf_paragraph(_title(plan), styles["Heading1"]))
    for label, text in _sections(plan):
        if text:
            story.append(pdf_paragraph(f"{label}: {text}", styles["BodyText"]))
            story.append(Spacer(1, 0.2 * cm))
    story.append(pdf_paragraph(_("Expected results"), styles["Heading2"]))
    story.append(
        pdf_table(_target_rows(plan), [9 * cm, 2.5 * cm, 2.5 * cm, 6 * cm, 6.6 * cm], styles)
    )
    story.append(pdf_paragraph(_("Meeting plan"), styles["Heading2"]))
    story.append(pdf_table(_meeting_rows(plan), [6 * cm, 9 * cm, 5.5 * cm, 6.1 * cm], styles))
    return build_pdf(story, _title(plan), organisation=plan.community.host.name)
