"""Import a school's pupils' results (XLSX or CSV) from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisations.models import Organisation
from results import imports
from results.models import AssessmentPeriod


class Command(BaseCommand):
    help = (
        "Import pupils' results of one school: a table of counts of marks per class, subject, "
        "teacher and period, or an electronic journal's export with one row per pupil and "
        "mark. Nothing is written unless every row is good; re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx or .csv file")
        parser.add_argument("--organisation", type=int, required=True, help="Id of the school")
        parser.add_argument(
            "--year", type=int, required=True, help="School year: 2025 for 2025/2026"
        )
        parser.add_argument(
            "--period", default="", help="Period code for rows without one (q1, t2, h1, year…)"
        )
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
        period = None
        if options["period"]:
            period = AssessmentPeriod.objects.filter(
                country_code=organisation.territory.country_code, code=options["period"]
            ).first()
            if period is None:
                raise CommandError(
                    _("Unknown period code: %(code)s.") % {"code": options["period"]}
                )
        with path.open("rb") as fh:
            record = imports.create_import(
                organisation=organisation,
                school_year=options["year"],
                period=period,
                file=File(fh, name=path.name),
                dry_run=options["dry_run"],
            )
        record = imports.run_import(record.pk)
        report = imports.ResultReport.from_dict(record.report)
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
        for name in report.teachers_not_found:
            self.stdout.write(_("Teacher not found among the staff: %(name)s") % {"name": name})
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
