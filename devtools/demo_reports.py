"""The demo region's year's reports (called by devtools.demo.load_demo with its world).

`leader` has the school PLC's report for the last school year in draft (its figures read from
the records, its narrative prefilled); the leaders' association's report of that year was
submitted to the centre after its 15 July deadline, so `centre` has it to review and sees it as
late on the board. Invented content only.
"""

from __future__ import annotations

from typing import Any

from reports import selectors, services
from reports.models import Owner, Report


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    year = selectors.last_school_year()
    plc, association = world["plc"], world["association"]
    services.start_report(actor=None, owner_type=Owner.COMMUNITY, owner=plc, school_year=year)
    report = services.start_report(
        actor=None, owner_type=Owner.COMMUNITY, owner=association, school_year=year
    )
    if report.status == Report.Status.DRAFT:
        services.save_narrative(
            actor=None,
            report=report,
            version=None,
            analysis=(
                "Объединение провело запланированные заседания, руководители школ обменялись "
                "практиками управления качеством образования. " + report.analysis
            ),
            problems=report.problems,
            tasks="Продолжить работу сетевых пар; провести выездное заседание в школе-партнёре.",
        )
        submission = services.submit(actor=association.leader, report=report)
        # The files of the submitted version are built here, within the loader's transaction;
        # the job queued on commit then finds them done.
        for job in submission.files.all():
            services.build_file(job.pk)
