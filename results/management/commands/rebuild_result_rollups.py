"""Rewrite the territories' rollups of pupils' results from the schools' summaries."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisations.models import Territory
from results import rollups


class Command(BaseCommand):
    help = (
        "Rewrite the territories' sums of pupils' results from the schools' summaries: every "
        "territory, or one territory with its ancestors and the territories under it. For "
        "repair, e.g. after territories were moved or schools changed by a bulk update."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", type=int, help="Id of the territory")

    def handle(self, *args, **options):
        if options["territory"] is None:
            written = rollups.rebuild_territories()
        else:
            territory = Territory.objects.filter(pk=options["territory"]).first()
            if territory is None:
                raise CommandError(_("Territory not found: %(id)s") % {"id": options["territory"]})
            written = rollups.rebuild_subtree(territory)
        self.stdout.write(_("Territory sums written: %(count)s.") % {"count": written})
