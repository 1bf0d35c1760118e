"""The section registry: another app's provider joins the reports it applies to."""

import pytest

from reports import services
from reports.models import Owner
from reports.sections import Section, register, sections_for, unregister


@pytest.fixture
def results_section():
    def collect(scope):
        return {
            "blocks": [
                {"type": "facts", "rows": [["Качество знаний, %", "64"]]},
                {
                    "type": "chart",
                    "title": "Качество по четвертям",
                    "labels": ["I", "II"],
                    "series": [{"name": "Качество", "values": [60, 64]}],
                    "unit": "%",
                },
            ],
            "summary": ["Качество знаний выросло до 64 %."],
        }

    register(Section("results", "Результаты обучающихся", frozenset({"school"}), collect, 15))
    yield
    unregister("results")


def test_a_registered_section_shows_where_it_applies(results_section, client, world):
    assert "results" in [s.code for s in sections_for("school")]
    assert "results" not in [s.code for s in sections_for("community")]
    report = services.start_report(
        actor=None, owner_type=Owner.SCHOOL, owner=world.school_a, school_year=2025
    )
    assert "Качество знаний выросло до 64 %." in report.analysis
    client.force_login(world.user("school_admin_a"))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="section-results"' in page and "Качество по четвертям" in page
    assert client.get(f"/reports/{report.pk}/report.pdf").status_code == 200
    submission = services.submit(actor=None, report=report)
    codes = [s["code"] for s in submission.snapshot["sections"]]
    assert codes[:2] == ["plan", "results"]
