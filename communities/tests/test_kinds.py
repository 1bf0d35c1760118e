"""Kind rules as the seeds have them, for both countries' copies."""

import pytest

from communities.tests.factories import kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("country", ["RU", "KZ"])
def test_kind_rules_follow_the_seeds(country):
    council = kind("consultative_council", country)
    assert (council.meeting_cadence, council.min_meetings_per_year) == ("", 0)  # online, no minimum
    assert kind("micro_group", country).meeting_cadence == "term"  # 004 §3.3
    pair = kind("leaders_pair", country)
    assert (pair.report_deadline_month, pair.report_deadline_day) == (None, None)  # curators report
    association = kind("leaders_association", country)
    assert (association.report_deadline_month, association.report_deadline_day) == (7, 15)
