"""The cycle's report (DOCX for editing, PDF for printing) and the visits log as XLSX.

Case pupils appear under their pseudonyms only; the report is signed by the team's members.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    docx_bytes,
    docx_paragraph,
    docx_run,
    docx_table,
    new_docx,
    pdf_paragraph,
    pdf_styles,
    pdf_table,
    xlsx_bytes,
    xlsx_cell,
    xlsx_workbook,
)

from . import selectors
from .models import Cycle, LessonVisit

# Blocks drawn the same way in both files: (kind, text or rows). Kinds: org, body (centred),
# title (centred, bold), label (bold), line, item (indented), table, signature.
Block = tuple[str, object]


def _initials(person) -> str:
    initials = " ".join(f"{name[0]}." for name in (person.first_name, person.middle_name) if name)
    return f"{initials} {person.last_name}".strip() if person.last_name else person.full_name


def _title(cycle: Cycle) -> str:
    if cycle.is_lesson_study:
        return _("Report of the lesson-study cycle")
    return _("Report of the action research")


def _text_or_dash(text: str) -> str:
    return text.strip() or "—"


def cycle_blocks(cycle: Cycle) -> list[Block]:
    data = selectors.cycle_page(cycle)
    community = cycle.community
    blocks: list[Block] = [
        ("org", community.host.name),
        ("body", community.name),
        ("title", _title(cycle).upper()),
    ]
    facts = [
        (_("Subject: %(v)s"), cycle.subject),
        (_("Class: %(v)s"), cycle.class_name),
        (_("Started: %(v)s"), cycle.starts_on.strftime("%d.%m.%Y") if cycle.starts_on else ""),
        (_("Ended: %(v)s"), cycle.ends_on.strftime("%d.%m.%Y") if cycle.ends_on else ""),
    ]
    blocks += [("line", label % {"v": value}) for label, value in facts if value]
    blocks += [("label", _("Research question")), ("line", cycle.research_question)]
    if not cycle.is_lesson_study:
        blocks += [
            ("label", _("Actions")),
            ("line", _text_or_dash(cycle.actions)),
            ("label", _("Data gathered")),
            ("line", _text_or_dash(cycle.data)),
            ("label", _("Conclusions")),
            ("line", _text_or_dash(cycle.conclusions)),
        ]
        return blocks + _signatures(data.members)
    blocks.append(("label", _("The lesson plan and its revisions")))
    for plan in data.plans:
        head = _("Version %(n)s of %(date)s") % {
            "n": plan.number,
            "date": timezone.localtime(plan.created_at).strftime("%d.%m.%Y"),
        }
        if plan.author:
            head += f", {plan.author.full_name}"
        if plan.note:
            head += f": {plan.note}"
        blocks.append(("line", head))
        if plan.text:
            blocks.append(("item", plan.text))
        if plan.file:
            blocks.append(("item", _("File: %(name)s") % {"name": plan.file_name or "—"}))
    if not data.plans:
        blocks.append(("item", "—"))
    blocks.append(("label", _("Case pupils")))
    blocks += [
        ("item", f"{p.pseudonym}" + (f" — {p.get_level_display()}" if p.level else ""))
        for p in data.pupils
    ] or [("item", "—")]
    for lesson in data.lessons:
        observers = ", ".join(o.full_name for o in lesson.observers.all()) or "—"
        blocks += [
            ("label", f"{lesson.get_round_display()}: {lesson.date:%d.%m.%Y}"),
            ("line", _("Taught by: %(name)s") % {"name": lesson.teacher.full_name}),
        ]
        if lesson.topic:
            blocks.append(("line", _("Topic: %(topic)s") % {"topic": lesson.topic}))
        blocks.append(("line", _("Observers: %(names)s") % {"names": observers}))
        sheets = list(lesson.sheets.all())
        for pupil in data.pupils:
            blocks.append(("label", _("Observation sheet: pupil %(p)s") % {"p": pupil.pseudonym}))
            rows = [[_("Observer"), _("What was expected"), _("What was seen"), _("Evidence")]]
            rows += [
                [s.observer.full_name, s.expected, s.observed or "—", s.evidence]
                for s in sheets
                if s.pupil_id == pupil.pk
            ]
            blocks.append(("table", rows) if len(rows) > 1 else ("item", "—"))
    blocks += [
        ("label", _("Post-lesson discussion")),
        ("line", _text_or_dash(cycle.discussion)),
        ("label", _("Revised lesson")),
        ("line", _text_or_dash(cycle.revised_lesson)),
        ("label", _("Conclusions")),
        ("line", _text_or_dash(cycle.conclusions)),
    ]
    return blocks + _signatures(data.members)


def _signatures(members) -> list[Block]:
    blank = "____________"
    blocks: list[Block] = [("label", _("Members of the team"))]
    blocks += [
        ("signature", f"{m.person.full_name} {blank} /{_initials(m.person)}/") for m in members
    ]
    return blocks


def cycle_docx(cycle: Cycle) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = new_docx(title=_title(cycle), organisation=cycle.community.host.name)
    for kind, content in cycle_blocks(cycle):
        if kind == "table":
            docx_table(document, content)
            continue
        paragraph = docx_paragraph(document)
        docx_run(paragraph, content, bold=kind in ("org", "title", "label"))
        if kind in ("org", "body", "title"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if kind == "title":
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.space_after = Pt(12)
        if kind == "label":
            paragraph.paragraph_format.space_before = Pt(8)
        if kind == "item":
            paragraph.paragraph_format.left_indent = Cm(0.75)
        if kind == "signature":
            paragraph.paragraph_format.space_before = Pt(18)
    return docx_bytes(document)


def cycle_pdf(cycle: Cycle) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    styles = pdf_styles()
    body = styles["BodyText"]
    bold = ParagraphStyle("CycleBold", parent=body, fontName="DejaVu-Bold")
    kinds = {
        "org": ParagraphStyle("CycleOrg", parent=bold, alignment=TA_CENTER),
        "body": ParagraphStyle("CycleBody", parent=body, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "CycleTitle", parent=bold, alignment=TA_CENTER, fontSize=12, leading=15,
            spaceBefore=10, spaceAfter=10,
        ),
        "label": ParagraphStyle("CycleLabel", parent=bold, spaceBefore=8, spaceAfter=2),
        "line": body,
        "item": ParagraphStyle("CycleItem", parent=body, leftIndent=20),
        "signature": ParagraphStyle("CycleSignature", parent=body, spaceBefore=18),
    }  # fmt: skip
    widths = [4 * cm, 4.3 * cm, 5 * cm, 4.7 * cm]
    story = [
        pdf_table(content, widths, styles)
        if kind == "table"
        else pdf_paragraph(content, kinds[kind])
        for kind, content in cycle_blocks(cycle)
    ]
    return build_pdf(story, _title(cycle), organisation=cycle.community.host.name, landscape=False)


def visits_xlsx(rows: list[tuple[LessonVisit, bool]], title: str) -> bytes:
    """The visits log; feedback text only where the reader may read it."""
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Lesson visits")[:31])
    for column, width in zip("ABCDEFGHI", (12, 30, 30, 8, 20, 40, 18, 10, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    header = [
        _("Date"),
        _("Visitor"),
        _("Teacher visited"),
        _("Class"),
        _("Subject"),
        _("Focus"),
        _("Lesson kind"),
        _("Feedback given"),
        _("Feedback"),
    ]
    sheet.append([xlsx_cell(sheet, name, bold=True) for name in header])
    for visit, may_read in rows:
        sheet.append([
            xlsx_cell(sheet, visit.date),
            xlsx_cell(sheet, visit.visitor.full_name),
            xlsx_cell(sheet, visit.teacher.full_name),
            xlsx_cell(sheet, visit.class_name),
            xlsx_cell(sheet, visit.subject),
            xlsx_cell(sheet, visit.focus, wrap=True),
            xlsx_cell(sheet, visit.get_lesson_kind_display()),
            xlsx_cell(sheet, _("yes") if visit.feedback_given else _("no")),
            xlsx_cell(sheet, visit.feedback if may_read else "", wrap=True),
        ])  # fmt: skip
    return xlsx_bytes(workbook)
