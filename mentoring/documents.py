"""The year-end analysis of mentoring pairs as DOCX (to edit) and PDF (to print and sign):
A4, Russian, the centre's (or the school's) header, tables, the author's signature
(003 app. 3 §5.3–5.4; 004 plan meeting 4)."""

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

from .models import Report, Session
from .selectors import FORMS, AnalysisData


def draft_texts(data: AnalysisData) -> dict[str, str]:
    """The narrative prefilled from the figures; the author edits it before sending."""
    if not data.rows:
        nothing = _("No pairs worked in %(year)s.") % {"year": _year(data.school_year)}
        return {"conclusions": nothing, "problems": "", "proposals": ""}
    forms = ", ".join(
        f"{Session.Form(form).label.lower()} — {data.totals[form]}"
        for form in FORMS
        if data.totals[form]
    )
    conclusions = [
        _(
            "In %(year)s %(pairs)s pairs worked; they held %(sessions)s sessions "
            "(%(forms)s), %(remote)s of them remotely."
        )
        % {
            "year": _year(data.school_year),
            "pairs": data.pairs,
            "sessions": data.sessions,
            "forms": forms or "—",
            "remote": data.remote,
        },
        _("%(approved)s of %(pairs)s mentoring plans are approved.")
        % {"approved": data.plans_approved, "pairs": data.pairs},
        _("%(sent)s of %(due)s reports due were sent by the mentors and mentees.")
        % {"sent": data.reports_sent, "due": data.reports_due},
    ]
    if data.survey:
        conclusions.append(
            _("The survey of the relationship in the pairs was answered %(n)s times.")
            % {"n": data.survey.get("answers", 0)}
        )
    problems = []
    if data.quiet_pairs:
        problems.append(
            _("Fewer than three sessions: %(names)s.")
            % {"names": "; ".join(str(r.pair.community) for r in data.quiet_pairs)}
        )
    missing = [r for r in data.rows if r.missing]
    if missing:
        problems.append(
            _("Reports missing: %(names)s.")
            % {"names": "; ".join(f"{r.pair.community} ({', '.join(r.missing)})" for r in missing)}
        )
    difficulties = [
        report.difficulties.strip()
        for row in data.rows
        for report in row.reports.values()
        if report.is_submitted and report.difficulties.strip()
    ]
    if difficulties:
        problems.append(_("The participants name these difficulties:"))
        problems += [f"— {text}" for text in difficulties[:10]]
    proposals = [
        _("Continue the work of the pairs in the next school year."),
    ]
    if data.quiet_pairs:
        proposals.append(_("Agree a schedule of regular sessions with the quiet pairs."))
    if missing:
        proposals.append(_("Remind the participants of the reports due."))
    if not data.totals.get(Session.Form.BRAINSTORMING):
        proposals.append(_("Use brainstorming sessions to look for ideas for the schools."))
    return {
        "conclusions": "\n".join(conclusions),
        "problems": "\n".join(problems),
        "proposals": "\n".join(proposals),
    }


def _year(school_year: int) -> str:
    return f"{school_year}/{school_year + 1}"


def _title(data: AnalysisData) -> str:
    return _("Analysis of the mentoring pairs' work in %(year)s school year") % {
        "year": _year(data.school_year)
    }


def _pairs_table(data: AnalysisData) -> list[list[str]]:
    header = [
        _("Pair"),
        _("Mentor"),
        _("Mentee"),
        *[str(Session.Form(f).label) for f in FORMS],
        _("Total"),
        _("Goals of the plan"),
        _("Reports missing"),
    ]
    rows = [header]
    for n, row in enumerate(data.rows, start=1):
        rows.append([
            f"{n}. {row.pair.community.name}",
            row.pair.mentor.full_name,
            row.pair.mentee.full_name,
            *[str(row.by_form[f]) for f in FORMS],
            str(row.sessions),
            "; ".join(row.goals) or "—",
            ", ".join(row.missing) or "—",
        ])  # fmt: skip
    rows.append([
        _("Total"), "", "", *[str(data.totals[f]) for f in FORMS], str(data.sessions), "", "",
    ])  # fmt: skip
    return rows


def _survey_rows(data: AnalysisData) -> list[list[str]]:
    survey = data.survey or {}
    rows = [[_("Question"), _("Answers"), _("Summary")]]
    for question in survey.get("questions", []):
        rows.append([question["text"], str(question["answers"]), question["summary"]])
    return rows


def _sections(data: AnalysisData, texts: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (_("1. Conclusions"), texts.get("conclusions", "")),
        (_("2. Problems"), texts.get("problems", "")),
        (_("3. Proposals"), texts.get("proposals", "")),
    ]


def _signature(author, role: str) -> str:
    name = author.full_name if author else "____________"
    return _("%(role)s %(line)s /%(name)s/   %(date)s") % {
        "role": role,
        "line": "____________",
        "name": name,
        "date": timezone.localdate().strftime("%d.%m.%Y"),
    }


def analysis_docx(
    data: AnalysisData, texts: dict[str, str], *, organisation: str, author, role: str
) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_docx(title=_title(data), organisation=organisation, landscape=True)
    heading = docx_paragraph(document)
    docx_run(heading, _title(data), bold=True)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_paragraph(document, data.title_place).alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_heading(document, _("Sessions of the pairs by form"), 2)
    docx_table(document, _pairs_table(data))
    if data.survey and data.survey.get("questions"):
        docx_heading(document, _("Survey of the relationship in the pairs"), 2)
        docx_table(document, _survey_rows(data))
    for title, text in _sections(data, texts):
        docx_heading(document, title, 2)
        for line in (text or "—").split("\n"):
            docx_paragraph(document, line)
    signature = docx_paragraph(document, _signature(author, role))
    signature.paragraph_format.space_before = Pt(24)
    return docx_bytes(document)


def analysis_pdf(
    data: AnalysisData, texts: dict[str, str], *, organisation: str, author, role: str
) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    styles = pdf_styles()
    body = styles["BodyText"]
    title = ParagraphStyle(
        "AnalysisTitle", parent=body, fontName="DejaVu-Bold", fontSize=12, leading=15,
        alignment=TA_CENTER, spaceAfter=6,
    )  # fmt: skip
    centred = ParagraphStyle("AnalysisPlace", parent=body, alignment=TA_CENTER, spaceAfter=8)
    heading = ParagraphStyle(
        "AnalysisHeading", parent=body, fontName="DejaVu-Bold", spaceBefore=8, spaceAfter=4
    )
    signature = ParagraphStyle("AnalysisSignature", parent=body, spaceBefore=24)
    story = [
        pdf_paragraph(_title(data), title),
        pdf_paragraph(data.title_place, centred),
        pdf_paragraph(_("Sessions of the pairs by form"), heading),
    ]
    width = 26.7 * cm
    fixed = [3.4 * cm, 2.6 * cm, 2.6 * cm, *[2.6 * cm] * len(FORMS), 1.4 * cm]
    rest = (width - sum(fixed)) / 2
    story.append(pdf_table(_pairs_table(data), [*fixed, rest, rest], styles))
    if data.survey and data.survey.get("questions"):
        story.append(pdf_paragraph(_("Survey of the relationship in the pairs"), heading))
        story.append(pdf_table(_survey_rows(data), [12 * cm, 2.5 * cm, 12.2 * cm], styles))
    for head, text in _sections(data, texts):
        story.append(pdf_paragraph(head, heading))
        story.append(pdf_paragraph(text or "—", body))
    story.append(pdf_paragraph(_signature(author, role), signature))
    return build_pdf(story, _title(data), organisation=organisation, landscape=True)


def report_sections(report: Report) -> list[tuple[str, str]]:
    return [
        (_("What was done"), report.done),
        (_("Results"), report.results),
        (_("Difficulties"), report.difficulties),
        (_("Plans"), report.plans),
    ]
