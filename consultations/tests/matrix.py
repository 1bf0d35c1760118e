"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The world's leaders' pair gets its sides (mentoring's matrix: school B's administrator mentors
the second PLC's member); the mentee asks the mentor. The region gets a consultative council
chaired by the second PLC's leader, with the PLC's secretary as a member. Objects are made on
first use in each test (each test's writes are rolled back).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from consultations import services
from consultations.models import ConsultationRequest, ConsultationTopic, FaqEntry
from core.tests.conftest import LEADER_OTHER, MEMBER_OTHER, SECRETARY
from core.tests.matrix import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CENTRE_OTHER,
    CREATED,
    CURATOR,
    EVERYONE,
    FORBIDDEN,
    LEADER,
    NOT_FOUND,
    REDIRECT,
    SIGNED_IN,
    SUPERUSER,
    Endpoint,
    World,
    api,
    page,
)
from mentoring.tests.matrix import leaders_pair

ASKERS = [SUPERUSER, ADMIN_A, ADMIN_B, LEADER, SECRETARY, LEADER_OTHER, MEMBER_OTHER]
VIEWERS = [SUPERUSER, CENTRE, CURATOR, ADMIN_B, MEMBER_OTHER]  # of the mentee's question
RESPONDERS = [ADMIN_B]  # the mentor
ASKER = [MEMBER_OTHER]
PUBLISHERS = [SUPERUSER, CENTRE, CURATOR]
BOARD = [SUPERUSER, CENTRE, CENTRE_OTHER, CURATOR, LEADER_OTHER]
HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in VIEWERS}
SEEN_NOT_RESPONDER = {r: FORBIDDEN for r in VIEWERS if r not in RESPONDERS}
SEEN_NOT_ASKER = {r: FORBIDDEN for r in VIEWERS if r not in ASKER}
SEEN_NOT_PUBLISHER = {r: FORBIDDEN for r in VIEWERS if r not in PUBLISHERS}
# Pages and the API answer alike: what a person may not see is not found (core.views).
NOT_SHOWN = {**HIDDEN, **SEEN_NOT_PUBLISHER}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def topic(code: str = "oge") -> ConsultationTopic:
    return ConsultationTopic.objects.get(code=code)


def council(w: World) -> Community:
    found = Community.objects.filter(kind__code="consultative_council", territory=w.region).first()
    if found is None:
        found = CommunityFactory(
            kind=kind("consultative_council"), name="Council", organisation=None,
            territory=w.region, leader=w.user(LEADER_OTHER), subject_area="",
        )  # fmt: skip
        MembershipFactory(community=found, person=w.user(LEADER_OTHER), role=Membership.Role.LEADER)
        MembershipFactory(community=found, person=w.user(SECRETARY), role=Membership.Role.MEMBER)
    return found


def _setup(w: World) -> None:
    leaders_pair(w)
    council(w)


def asked(w: World, question: str = "Как готовить к ОГЭ?") -> ConsultationRequest:
    _setup(w)
    found = ConsultationRequest.objects.filter(question=question).first()
    if found is None:
        found = services.ask(
            actor=w.user(MEMBER_OTHER),
            addressee="mentor",
            topic=topic(),
            question=question,
            files=[SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")],
        )
    return found


def answered(w: World) -> ConsultationRequest:
    request = asked(w, "Как работать с родителями?")
    if request.status == ConsultationRequest.Status.SUBMITTED:
        request = services.answer(actor=w.user(ADMIN_B), request=request, text="Так.")
    return request


def _status(getter):
    return lambda w: ConsultationRequest.objects.get(pk=getter(w).pk).status


def _requests(w: World) -> int:
    return ConsultationRequest.objects.count()


def _url(getter, suffix: str = ""):
    return lambda w: f"/consultations/{getter(w).pk}/{suffix}"


def _api(getter, suffix: str = ""):
    return lambda w: f"/consultations/{getter(w).pk}/{suffix}"


def _ask_url(w: World) -> str:
    _setup(w)
    return "/consultations/ask/"


def _ask_form(w: World) -> dict:
    return {
        "addressee": "council",
        "community": council(w).pk,
        "topic": topic("ege").pk,
        "urgency": "urgent",
        "question": "Как поднять баллы ЕГЭ?",
    }


def _attachment_url(w: World) -> str:
    return f"/consultations/attachments/{asked(w).attachments.get().pk}/"


def _faq(w: World) -> int:
    return FaqEntry.objects.count()


def _faq_form(w: World) -> dict:
    return {"topic": topic("parents").pk, "question": "Как?", "answer": "Так.", "confirmed": "on"}


def _faq_body(w: World) -> dict:
    return {"topic": topic("parents").pk, "question": "Как?", "answer": "Так.", "confirmed": True}


def _board_url(w: World) -> str:
    _setup(w)
    return "/consultations/board/"


def _create_url(w: World) -> str:
    _setup(w)
    return "/consultations/"


def _list_url(w: World) -> str:
    asked(w)
    return "/consultations/"


ENDPOINTS: list[Endpoint] = [
    page("consultations my requests", "get", _list_url, SIGNED_IN),
    page("consultations ask (form)", "get", _ask_url, ASKERS),
    page(
        "consultations ask",
        "post",
        _ask_url,
        ASKERS,
        REDIRECT,
        data=_ask_form,
        changed=_requests,
    ),
    page("consultations request page", "get", _url(asked), VIEWERS, overrides=HIDDEN),
    page(
        "consultations take",
        "post",
        _url(asked, "take/"),
        RESPONDERS,
        REDIRECT,
        changed=_status(asked),
        overrides={**HIDDEN, **SEEN_NOT_RESPONDER},
    ),
    page(
        "consultations answer",
        "post",
        _url(asked, "answer/"),
        RESPONDERS,
        REDIRECT,
        data=lambda w: {"text": "Ответ"},
        changed=_status(asked),
        overrides={**HIDDEN, **SEEN_NOT_RESPONDER},
    ),
    page(
        "consultations rate",
        "post",
        _url(answered, "rate/"),
        ASKER,
        REDIRECT,
        data=lambda w: {"score": "5", "comment": ""},
        changed=_status(answered),
        overrides={**HIDDEN, **SEEN_NOT_ASKER},
    ),
    page(
        "consultations withdraw",
        "post",
        _url(asked, "withdraw/"),
        ASKER,
        REDIRECT,
        changed=_status(asked),
        overrides={**HIDDEN, **SEEN_NOT_ASKER},
    ),
    page("consultations attachment", "get", _attachment_url, VIEWERS, overrides=HIDDEN),
    page(
        "consultations publish (form)",
        "get",
        _url(answered, "faq/"),
        PUBLISHERS,
        overrides=NOT_SHOWN,
    ),
    page(
        "consultations publish",
        "post",
        _url(answered, "faq/"),
        PUBLISHERS,
        REDIRECT,
        data=_faq_form,
        changed=_faq,
        overrides=NOT_SHOWN,
    ),
    page("consultations board", "get", _board_url, BOARD),
    page("consultations faq", "get", lambda w: "/consultations/faq/", EVERYONE),
    api("consultations list", "get", _list_url, SIGNED_IN),
    api(
        "consultations create",
        "post",
        _create_url,
        ASKERS,
        CREATED,
        data=_ask_form,
        changed=_requests,
    ),
    api("consultations retrieve", "get", _api(asked), VIEWERS, overrides=HIDDEN),
    api(
        "consultations take",
        "post",
        _api(asked, "take/"),
        RESPONDERS,
        overrides={**HIDDEN, **SEEN_NOT_RESPONDER},
        changed=_status(asked),
    ),
    api(
        "consultations answer",
        "post",
        _api(asked, "answer/"),
        RESPONDERS,
        data=lambda w: {"text": "Ответ"},
        overrides={**HIDDEN, **SEEN_NOT_RESPONDER},
        changed=_status(asked),
    ),
    api(
        "consultations rate",
        "post",
        _api(answered, "rate/"),
        ASKER,
        data=lambda w: {"score": 4},
        overrides={**HIDDEN, **SEEN_NOT_ASKER},
        changed=_status(answered),
    ),
    api(
        "consultations withdraw",
        "post",
        _api(asked, "withdraw/"),
        ASKER,
        overrides={**HIDDEN, **SEEN_NOT_ASKER},
        changed=_status(asked),
    ),
    api(
        "consultations publish to the FAQ",
        "post",
        _api(answered, "publish/"),
        PUBLISHERS,
        CREATED,
        data=_faq_body,
        overrides={**HIDDEN, **SEEN_NOT_PUBLISHER},
        changed=_faq,
    ),
]
