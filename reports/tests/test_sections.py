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


def test_the_pupils_results_section_reads_the_results_app(client, world):
    from reports.providers import pupils_results
    from reports.selectors import scope_of
    from results.tests.test_indicators import add_rows

    school = world.school_a
    school.territory.country_code = "KZ"
    school.territory.save()
    report = services.start_report(
        actor=None, owner_type=Owner.SCHOOL, owner=school, school_year=2025
    )
    empty = pupils_results(scope_of(report))
    assert empty["blocks"][0]["type"] == "text"
    add_rows(school, 2025, "q1", "Математика", (2, 3, 4, 1, 0), teacher=world.member)
    add_rows(school, 2025, "q2", "Математика", (4, 4, 2, 0, 0), teacher=world.member)
    data = pupils_results(scope_of(report))
    facts = dict(data["blocks"][0]["rows"])
    assert facts["Период"] == "2 четверть"
    table = data["blocks"][2]["rows"]
    assert table[1][:3] == ["Все предметы", "80", "+30"]  # 8 of 10 now, 5 of 10 before
    assert data["blocks"][3]["type"] == "chart"
    assert "80" in data["summary"][0]
    # The section is part of every report and reaches the page.
    report = services.start_report(
        actor=None, owner_type=Owner.SCHOOL, owner=school, school_year=2025
    )
    client.force_login(world.user("school_admin_a"))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="section-pupils_results"' in page
