"""The demo region's consultation requests (called by devtools.demo.load_demo with its world).

`mentee` asked `mentor` how to prepare for the ОГЭ; the mentor answered and the mentee rated
the answer. An urgent question of `mentee` to the consultative council still waits (overdue, on
the centre's board and the council members' dashboards). The curator published one anonymised
frequently asked question. Invented content only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from consultations import services
from consultations.models import ConsultationRequest, ConsultationTopic, FaqEntry


def _backdate(request: ConsultationRequest, days: int, *, taken=None, answered=None) -> None:
    asked_at = timezone.now() - dt.timedelta(days=days)
    fields = {
        "created_at": asked_at,
        "due_by": timezone.localdate(asked_at)
        + dt.timedelta(days=ConsultationRequest.DAYS_TO_ANSWER[request.urgency]),
    }
    if taken is not None:
        fields["taken_at"] = asked_at + dt.timedelta(hours=taken)
    if answered is not None:
        fields["answered_at"] = asked_at + dt.timedelta(hours=answered)
    ConsultationRequest.objects.filter(pk=request.pk).update(**fields)


def load(world: dict[str, Any]) -> None:
    users = world["users"]
    mentee, mentor, curator = users["mentee"], users["mentor"], users["curator"]
    if ConsultationRequest.objects.filter(asker=mentee).exists():
        return
    topics = {t.code: t for t in ConsultationTopic.objects.all()}

    oge = services.ask(
        actor=mentee,
        addressee=ConsultationRequest.Addressee.MENTOR,
        topic=topics["oge"],
        question="В прошлом году треть девятиклассников не набрала минимальный балл ОГЭ по "
        "математике. С чего начать подготовку в этом году, чтобы учителя не работали «на "
        "натаскивание», а дети действительно подтянули базовые умения?",
    )
    services.take(actor=mentor, request=oge)
    services.answer(
        actor=mentor,
        request=oge,
        text="Начните с входной диагностики по кодификатору в сентябре и разбейте класс на "
        "группы по дефицитам. Раз в две недели — короткие тематические срезы, результаты "
        "обсуждайте на методобъединении. У нас помогли консультации после уроков по графику и "
        "работа в парах «сильный — слабый». Готова показать наши материалы на встрече пары.",
    )
    services.rate(actor=mentee, request=oge, score=5, comment="Спасибо, план понятный.")
    _backdate(oge, 20, taken=5, answered=30)

    council = world["consultative_council"]
    urgent = services.ask(
        actor=mentee,
        addressee=ConsultationRequest.Addressee.COUNCIL,
        community=council,
        topic=topics["vpr"],
        urgency=ConsultationRequest.Urgency.URGENT,
        question="Через две недели ВПР в 5-х классах, а у двух учителей начальной школы "
        "длительный больничный. Как организовать подготовку и проведение, не срывая уроки?",
    )
    _backdate(urgent, 4)

    if not FaqEntry.objects.exists():
        entry = services.publish_faq(
            actor=None,
            source=ConsultationRequest.objects.get(pk=oge.pk),
            topic=topics["oge"],
            question="Как начать подготовку к ОГЭ по математике в школе, где многие "
            "девятиклассники не набирают минимальный балл?",
            answer_text="Проведите входную диагностику по кодификатору, сгруппируйте учеников по "
            "дефицитам, регулярно проводите короткие тематические срезы и обсуждайте их на "
            "методобъединении; организуйте консультации по графику и работу в парах.",
        )
        FaqEntry.objects.filter(pk=entry.pk).update(published_by=curator)
