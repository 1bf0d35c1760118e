"""Import a teacher list (XLSX or CSV) into one organisation from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Organisation
from people import imports


class Command(BaseCommand):
    help = (
        "Import teachers of one organisation from an Excel (.xlsx) or CSV file. Every row is "
        "checked; nothing is written unless every row is good. Re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx or .csv file")
        parser.add_argument(
            "--organisation", type=int, required=True, help="Id of the organisation"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file; write no people"
        )

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
        dry_run = options["dry_run"]
        with path.open("rb") as fh:
            record = imports.create_import(
                organisation=organisation, file=File(fh, name=path.name), dry_run=dry_run
            )
        record = imports.run_import(record.pk)
        report = imports.ImportReport.from_dict(record.report, dry_run=dry_run)
        if report.file_error:
            raise CommandError(report.file_error)
        counts = {
            "rows": report.rows_checked,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if dry_run:
            summary = _(
                "Dry run, nothing written. Rows checked: %(rows)s; would be created: "
                "%(created)s, updated: %(updated)s, unchanged: %(unchanged)s."
            )
        elif report.applied:
            summary = _(
                "Rows checked: %(rows)s; created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s."
            )
        else:
            summary = _("Rows checked: %(rows)s. Nothing was written.")
        self.stdout.write(summary % counts)
        for error in report.errors:
            self.stdout.write(
                _("Row %(row)s: %(message)s") % {"row": error.row, "message": error.message}
            )
        if report.errors:
            rows = len({e.row for e in report.errors})
            raise CommandError(
                ngettext(
                    "The file has %(count)s bad row; nothing was written.",
                    "The file has %(count)s bad rows; nothing was written.",
                    rows,
                )
                % {"count": rows}
            )
        if report.applied:
            self.stdout.write(self.style.SUCCESS(_("Import %(id)s applied.") % {"id": record.pk}))
