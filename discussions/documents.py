"""The register of publications as a spreadsheet a school can file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .models import Post


def _header() -> list[str]:
    return [_("No."), _("Published"), _("Author"), _("Kind"), _("Title"), _("Comments"),
            _("From the publication schedule")]  # fmt: skip


def register_xlsx(community: Community, posts: QuerySet[Post]) -> bytes:
    """One row a publication, numbered in the order they were published (a register's
    numbers do not change as new ones come); read in chunks, one query each."""
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Publications")[:31])
    title = _("Register of publications: %(community)s") % {"community": community.name}
    sheet.append([xlsx_cell(sheet, title, bold=True)])
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in _header()])
    chronological = posts.order_by("published_at", "id").iterator(chunk_size=2000)
    for number, post in enumerate(chronological, start=1):
        planned = getattr(post, "planned", None)
        values = [
            number,
            timezone.localtime(post.published_at) if post.published_at else None,
            post.author.full_name,
            post.get_kind_display(),
            post.title or post.body[:100],
            post.comment_count,
            str(planned) if planned is not None else "",
        ]
        sheet.append([xlsx_cell(sheet, v) for v in values])
    return xlsx_bytes(workbook)
