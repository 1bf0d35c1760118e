"""Setting a school's rating scheme: by its administrators, in one transaction, keeping the rows'
identity (core.rows.match_rows)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.rows import match_rows
from organisations.models import Organisation
from people import measures

from . import permissions
from .models import Criterion, RatingScheme

MAX_CRITERIA = 30
WEIGHT_LIMIT = Decimal("1000")


def _decimal(value, *, row: int, label: str, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError(
                {"criteria": _("Row %(n)s: %(field)s is required.") % {"n": row, "field": label}}
            )
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            {"criteria": _("Row %(n)s: %(field)s must be a number.") % {"n": row, "field": label}}
        )
    return number.quantize(Decimal("0.01"))


def clean_rows(rows: list[dict]) -> list[dict]:
    """Each row checked, with a message naming its number and field; nothing is saved here."""
    if len(rows) > MAX_CRITERIA:
        raise ValidationError(
            {"criteria": _("A scheme has at most %(n)s criteria.") % {"n": MAX_CRITERIA}}
        )
    seen: set[str] = set()
    clean = []
    for n, row in enumerate(rows, start=1):
        code = str(row.get("measure") or "").strip()
        if measures.get(code) is None:
            raise ValidationError({"criteria": _("Row %(n)s: choose a measure.") % {"n": n}})
        if code in seen:
            raise ValidationError(
                {"criteria": _("Row %(n)s: this measure is already a criterion.") % {"n": n}}
            )
        seen.add(code)
        weight = _decimal(row.get("weight"), row=n, label=_("weight"), required=True)
        if weight == 0 or abs(weight) > WEIGHT_LIMIT:
            raise ValidationError(
                {
                    "criteria": _(
                        "Row %(n)s: the weight must be non-zero and between −1000 and 1000."
                    )
                    % {"n": n}
                }
            )
        cap = _decimal(row.get("cap"), row=n, label=_("counted up to"), required=False)
        if cap is not None and not (0 < cap < Decimal("10000000")):
            raise ValidationError(
                {"criteria": _("Row %(n)s: the cap must be a positive number.") % {"n": n}}
            )
        item = {"measure": code, "weight": weight, "cap": cap}
        if row.get("id") is not None:
            item["id"] = row["id"]
        clean.append(item)
    return clean


@transaction.atomic
def save_scheme(
    *, organisation: Organisation, school_year: int, rows: list[dict], actor
) -> RatingScheme:
    """Create or replace the school year's criteria; a kept row (its `id`) is updated in place."""
    if not permissions.can_edit_scheme(actor, organisation):
        raise PermissionDenied
    clean = clean_rows(rows)
    scheme, _created = RatingScheme.objects.select_for_update().get_or_create(
        organisation=organisation, school_year=school_year, defaults={"updated_by": actor}
    )
    pairs, removed = match_rows(scheme.criteria.all(), clean, field="criteria")
    Criterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    for order, (criterion, data) in enumerate(pairs, start=1):
        if criterion is None:
            criterion = Criterion(scheme=scheme)
        criterion.measure = data["measure"]
        criterion.weight = data["weight"]
        criterion.cap = data["cap"]
        criterion.order = order
        criterion.save()
    scheme.updated_by = actor
    scheme.save(update_fields=["updated_by", "updated_at"])
    return scheme


@transaction.atomic
def copy_scheme(*, organisation: Organisation, school_year: int, actor) -> RatingScheme:
    """Start the year's scheme from the school's latest earlier one (refused if one exists)."""
    from .selectors import previous_scheme

    if not permissions.can_edit_scheme(actor, organisation):
        raise PermissionDenied
    if RatingScheme.objects.filter(organisation=organisation, school_year=school_year).exists():
        raise ValidationError(
            {"school_year": _("This school year already has a scheme; edit it instead.")}
        )
    source = previous_scheme(organisation, school_year)
    if source is None:
        raise ValidationError({"school_year": _("There is no earlier scheme to copy.")})
    rows = [
        {"measure": c.measure, "weight": c.weight, "cap": c.cap}
        for c in source.criteria.order_by("order", "pk")
        if measures.get(c.measure) is not None
    ]
    return save_scheme(organisation=organisation, school_year=school_year, rows=rows, actor=actor)
