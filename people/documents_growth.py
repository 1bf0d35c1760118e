"""Documents of attestation and growth: the attestation list (XLSX) and the portfolio (PDF)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    pdf_paragraph,
    pdf_styles,
    pdf_table,
    xlsx_bytes,
    xlsx_cell,
    xlsx_workbook,
)

from .models import TeacherProfile
from .selectors import Portfolio
from .signals import PortfolioSection


def _date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _places(person) -> str:
    positions = getattr(person, "position_list", None)
    if positions is None:
        positions = list(person.positions.all())
    return "; ".join(
        f"{p.title}, {p.organisation.short_name or p.organisation.name}" for p in positions
    )


def attestation_workbook(rows: Iterable[TeacherProfile], title: str) -> bytes:
    """One row per teacher: who, where, which category now and sought, by when."""
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Attestation")[:31])
    for column, width in zip("ABCDEFGH", (36, 40, 22, 16, 22, 16, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    header = [
        _("Full name"),
        _("Position"),
        _("Category held"),
        _("Assigned on"),
        _("Category sought"),
        _("Attestation due"),
        _("Level courses"),
        _("Self-education topic"),
    ]
    sheet.append([xlsx_cell(sheet, name, bold=True, wrap=True) for name in header])
    for row in rows:
        sheet.append(
            [
                xlsx_cell(sheet, value)
                for value in (
                    row.person.full_name,
                    _places(row.person),
                    row.held_category or "",
                    row.held_since,
                    str(row.category_sought or ""),
                    row.due_on,
                    _("yes") if row.level_trained else _("no"),
                    row.self_education_topic,
                )
            ]
        )
    return xlsx_bytes(workbook)


def portfolio_facts(folio: Portfolio) -> list[tuple[str, str]]:
    """The portfolio's head: who the teacher is, as the page and the PDF print it."""
    record = folio.record
    facts = [
        (_("Full name"), folio.person.full_name),
        (_("Position"), _places(folio.person) or "—"),
    ]
    if record is None:
        return facts
    category = str(record.qualification_category or "—")
    if record.category_assigned_on:
        category += " " + _("(since %(date)s)") % {"date": _date(record.category_assigned_on)}
    experience = _("total %(total)s, teaching %(teaching)s years") % {
        "total": record.experience_total if record.experience_total is not None else "—",
        "teaching": record.experience_teaching if record.experience_teaching is not None else "—",
    }
    education = ", ".join(
        p for p in (record.education, record.education_institution, record.specialty) if p
    )
    facts += [
        (_("Education"), education or "—"),
        (_("Qualification category"), category),
        (_("Category sought"), str(record.category_sought or "—")),
        (_("Next attestation"), _date(record.next_attestation_on)),
        (_("Experience"), experience),
        (_("Subjects taught"), record.subjects or "—"),
        (_("Honorary titles"), record.titles or "—"),
        (_("Self-education topic"), record.self_education_topic or "—"),
    ]
    return facts


def portfolio_tables(folio: Portfolio) -> list[PortfolioSection]:
    """The databank's lists over the portfolio's years, then what the apps above add."""
    tables = [
        PortfolioSection(
            _("Qualification category history"),
            [_("Category"), _("Assigned on"), _("Order no. and date")],
            [[str(q.category), _date(q.assigned_on), q.order_reference] for q in folio.history],
            order=10,
        ),
        PortfolioSection(
            _("Courses"),
            [_("Course"), _("Kind"), _("Provider"), _("Hours"), _("Completed on")],
            [
                [
                    c.title,
                    c.get_kind_display(),
                    c.provider,
                    str(c.hours or ""),
                    _date(c.completed_on),
                ]
                for c in folio.courses
            ],
            order=20,
        ),
        PortfolioSection(
            _("Awards"),
            [_("Award or title"), _("Level"), _("Year")],
            [[a.title, a.level, str(a.year or "")] for a in folio.awards],
            order=30,
        ),
        PortfolioSection(
            _("Achievements"),
            [_("Year"), _("Achievement"), _("Whose"), _("Level")],
            [
                [str(a.year), a.description, a.get_kind_display(), a.level]
                for a in folio.achievements
            ],
            order=40,
        ),
    ]
    return tables + list(folio.sections)


def portfolio_title(folio: Portfolio) -> str:
    return _("Portfolio of the teacher %(name)s") % {"name": folio.person.full_name}


def portfolio_organisation(folio: Portfolio) -> str:
    positions = list(folio.person.positions.all())
    main = next((p for p in positions if p.is_main), positions[0] if positions else None)
    return main.organisation.name if main else ""


def _column_widths(rows: list[list[str]], total: float) -> list[float]:
    """Share the width by what the columns hold: a date narrow, a research question wide; no
    column so narrow that a word of its header breaks."""
    weights = []
    for column in zip(*rows, strict=True):
        longest_word = max((len(w) for cell in column for w in str(cell).split()), default=1)
        longest = max(len(str(cell)) for cell in column)
        weights.append(max(longest_word, min(longest, 60) ** 0.75, 6))
    return [total * w / sum(weights) for w in weights]


def portfolio_pdf(folio: Portfolio) -> bytes:
    """A4 portrait, the school's name at the top of every page."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    styles = pdf_styles()
    story = [pdf_paragraph(portfolio_title(folio), styles["Title"])]
    story.append(
        pdf_paragraph(
            _("For %(from)s–%(to)s") % {"from": folio.since_year, "to": timezone.localdate().year},
            styles["BodyText"],
        )
    )
    story.append(Spacer(1, 0.3 * cm))
    story.append(
        pdf_table(
            [[label, value] for label, value in portfolio_facts(folio)],
            [5 * cm, 13 * cm],
            styles,
            header=False,
        )
    )
    for section in portfolio_tables(folio):
        story.append(pdf_paragraph(section.title, styles["Heading3"]))
        if section.rows:
            rows = [section.columns, *section.rows]
            story.append(pdf_table(rows, _column_widths(rows, 18 * cm), styles))
        else:
            story.append(pdf_paragraph("—", styles["BodyText"]))
    return build_pdf(
        story,
        portfolio_title(folio),
        organisation=portfolio_organisation(folio),
        landscape=False,
    )
