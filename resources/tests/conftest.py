import pytest

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from core.tests.conftest import _module_world, world  # noqa: F401 - the shared world's fixtures
from people.tests.factories import teacher_at


@pytest.fixture
def plc():
    """A community of a school whose leader is a teacher there."""
    community = CommunityFactory()
    leader = teacher_at(community.organisation)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.leader = leader
    community.save()
    return community
