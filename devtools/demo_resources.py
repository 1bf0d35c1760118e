"""The resource bank's demo (called by devtools.demo.load_demo with its world): published
resources of the PLC and the network, a collection «Лучшие практики сети «Компас» 2026», one
resource waiting for `curator`'s review and the PLC's regulation (Положение)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile

from resources import services
from resources.models import Collection, Resource, ResourceKind


def _pdf(title: str) -> ContentFile:
    """A one-page PDF naming the material, made with the PDF library the exports use."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    sheet.setTitle(title)
    sheet.drawString(72, 770, "Collegium demo")
    sheet.showPage()
    sheet.save()
    return ContentFile(out.getvalue(), name="material.pdf")


def _published(*, author, **fields) -> Resource:
    resource = services.create_draft(actor=author, **fields)
    services.submit(actor=author, resource=resource)
    services.review(actor=None, resource=resource, decision="publish", comment="")
    resource.refresh_from_db()
    return resource


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    if Collection.objects.filter(title="Лучшие практики сети «Компас» 2026").exists():
        return
    users, plc, network = world["users"], world["plc"], world["network"]
    school = world["orgs"]["school14"]
    kind = {k.code: k for k in ResourceKind.objects.all()}
    lesson = _published(
        author=users["teacher"],
        title="Урок физики «Закон Архимеда» с заданиями на функциональную грамотность",
        description="План урока для 7 класса: проблемная ситуация, эксперимент в группах, "
        "задания PISA-формата и рефлексия.",
        kind=kind["lesson-plan"], subject="Физика", grade_from=7, grade_to=7,
        topic="Функциональная грамотность", community=plc, organisation=school,
        licence=Resource.Licence.CC_BY_SA, is_public=True, file=_pdf("Закон Архимеда"),
    )  # fmt: skip
    parents = _published(
        author=users["leader"],
        title="Как помочь ребёнку с домашними заданиями по математике",
        description="Рекомендации для родителей учащихся 5–6 классов: режим, проверка без "
        "подсказок, вопросы, которые помогают думать.",
        kind=kind["recommendations-parents"], subject="Математика", grade_from=5, grade_to=6,
        community=plc, organisation=school, licence=Resource.Licence.CC_BY, is_public=True,
        file=_pdf("Рекомендации родителям"),
    )  # fmt: skip
    practice = _published(
        author=users["leader"],
        title="Lesson Study в ПОС естественно-математического цикла: опыт года",
        description="Описание практики: как команда ПОС провела два цикла Lesson Study и что "
        "изменилось в уроках.",
        kind=kind["best-practice"], topic="Lesson Study", community=plc, organisation=school,
        licence=Resource.Licence.CC_BY_NC, is_public=False, file=_pdf("Lesson Study"),
    )  # fmt: skip
    collection = services.create_collection(
        actor=None,
        title="Лучшие практики сети «Компас» 2026",
        description="Материалы, отобранные координационным центром сети по итогам года.",
        network=network,
    )
    for resource in (practice, lesson, parents):
        services.add_to_collection(actor=None, collection=collection, resource=resource)
    # Territory-wide, so the region's curator and centre review it.
    waiting = services.create_draft(
        actor=users["teacher"],
        title="Рекомендации учащимся по подготовке к олимпиаде по физике",
        description="Что читать, какие задачи решать и как распределить время.",
        kind=kind["recommendations-pupils"], subject="Физика", grade_from=8, grade_to=11,
        organisation=school, licence=Resource.Licence.CC_BY, is_public=True,
        file=_pdf("Олимпиада"),
    )  # fmt: skip
    services.submit(actor=users["teacher"], resource=waiting)
    services.add_document(
        actor=None, community=plc, kind="regulation",
        title="Положение о профессиональном обучающемся сообществе учителей "
        "естественно-математического цикла",
        number="112", date=dt.date(2025, 8, 29),
        approved_by="Приказ директора № 112 от 29.08.2025", file=_pdf("Положение"),
    )  # fmt: skip
