"""Import a school's exam or control-work results (XLSX or CSV) from the command line."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisations.models import Organisation
from results.imports import exams
from results.models import AssessmentKind


class Command(BaseCommand):
    help = (
        "Import one school's results of an exam or control work: a row per pupil with class, "
        "subject, score and, where given, mark and teacher, summed per class and subject (pupils' "
        "names are never read). Nothing is written unless every row is good; re-running changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx or .csv file")
        parser.add_argument("--organisation", type=int, required=True, help="Id of the school")
        parser.add_argument(
            "--year", type=int, required=True, help="School year: 2025 for 2025/2026"
        )
        parser.add_argument("--kind", required=True, help="Kind code (ent, soch, oge, ege…)")
        parser.add_argument("--date", required=True, help="Date held, YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="Only check the file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        organisation = (
            Organisation.objects.select_related("territory")
            .filter(pk=options["organisation"])
            .first()
        )
        if organisation is None:
            raise CommandError(
                _("Organisation %(id)s does not exist.") % {"id": options["organisation"]}
            )
        kind = AssessmentKind.objects.filter(
            country_code=organisation.territory.country_code, code=options["kind"]
        ).first()
        if kind is None:
            raise CommandError(
                _("Unknown kind of assessment: %(code)s.") % {"code": options["kind"]}
            )
        try:
            held_on = datetime.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": options["date"]}
            ) from exc
        with path.open("rb") as fh:
            record = exams.create_exam_import(
                organisation=organisation,
                school_year=options["year"],
                kind=kind,
                held_on=held_on,
                file=File(fh, name=path.name),
                dry_run=options["dry_run"],
            )
        record = exams.run_exam_import(record.pk)
        report = exams.ExamReport.from_dict(record.report)
        if report.file_error:
            raise CommandError(report.file_error)
        self.stdout.write(
            _(
                "Rows checked: %(rows)s; class rows: %(records)s; created: %(created)s, "
                "updated: %(updated)s, unchanged: %(unchanged)s."
            )
            % {
                "rows": report.rows_checked,
                "records": report.records,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        for error in report.errors:
            self.stdout.write(
                _("Row %(row)s: %(message)s") % {"row": error.row, "message": error.message}
            )
        if report.errors:
            raise CommandError(_("The file has bad rows; nothing was written."))
        if report.applied:
            self.stdout.write(self.style.SUCCESS(_("Import %(id)s applied.") % {"id": record.pk}))
        else:
            self.stdout.write(_("Dry run, nothing written."))
