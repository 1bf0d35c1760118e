"""The results of a survey as a spreadsheet (XLSX): one sheet of counts, one of text answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .models import Survey
from .selectors import QuestionResult


def results_xlsx(survey: Survey, results: list[QuestionResult]) -> bytes:
    """Counts and percentages per option or scale value, averages, and every text answer (named
    only on a named survey). Text that looks like a formula stays text (xlsx_cell)."""
    book = xlsx_workbook()
    sheet = book.create_sheet(_("Results")[:31])
    sheet.append([xlsx_cell(sheet, survey.title, bold=True, size=13)])
    sheet.append([_("Responses"), survey.response_count])
    sheet.append([])
    sheet.append(
        [xlsx_cell(sheet, h, bold=True) for h in (_("Question"), _("Answer"), _("Count"), "%")]
    )
    for result in results:
        question = result.question
        sheet.append([xlsx_cell(sheet, question.text, bold=True), _("answered"), result.answered])
        for bar in result.bars:
            sheet.append(["", xlsx_cell(sheet, bar.label), bar.count, bar.percent])
        if result.average is not None:
            sheet.append(["", _("average"), result.average])
    texts = book.create_sheet(_("Text answers")[:31])
    header = [_("Question"), _("Answer")]
    if not survey.anonymous:
        header.append(_("Respondent"))
    texts.append([xlsx_cell(texts, h, bold=True) for h in header])
    for result in results:
        for text, who in result.texts:
            row = [xlsx_cell(texts, result.question.text), xlsx_cell(texts, text)]
            if not survey.anonymous:
                row.append(xlsx_cell(texts, who))
            texts.append(row)
    return xlsx_bytes(book)
