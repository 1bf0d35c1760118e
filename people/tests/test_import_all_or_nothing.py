"""Applying a teacher list is all or nothing, even when the database fails halfway through.

The import writes people, positions and databank records in batches of ``BULK_BATCH`` rows. Here
the second batch of databank records fails after the people, their positions and the first batch
of records are already inserted: not one of those rows may remain, and the stored import must end
up failed (so it can be run again), whether the failure is one the import expects (a conflict
with someone writing meanwhile) or not (the database going away).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError
from django.db.models.query import QuerySet

from core.tests.snapshot import database_snapshot, differences
from people import imports, services
from people.models import TeacherImport, TeacherProfile
from people.tests.test_import_bulk import school, teachers_file  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def fail_second_profile_batch(monkeypatch, error: Exception) -> list[int]:
    """Make the second INSERT of databank records raise; the sizes of those attempted."""
    real_insert = QuerySet._insert
    batches: list[int] = []

    def insert(self, objs, *args, **kwargs):
        if self.model is TeacherProfile:
            batches.append(len(objs))
            if len(batches) == 2:
                raise error
        return real_insert(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "_insert", insert)
    return batches


@pytest.mark.parametrize(
    "error",
    [IntegrityError("a login taken meanwhile"), OperationalError("the database went away")],
    ids=["conflict", "database failure"],
)
def test_a_failure_in_the_second_batch_leaves_no_row_and_a_failed_import(
    school,  # noqa: F811
    monkeypatch,
    error,
):
    rows = services.BULK_BATCH + 100  # two batches of databank records
    record = imports.create_import(
        organisation=school,
        file=ContentFile(teachers_file(rows), name="teachers.csv"),
        dry_run=False,
    )
    before = database_snapshot()
    batches = fail_second_profile_batch(monkeypatch, error)

    record = imports.run_import(record.pk)

    # The failure came midway: one batch went in (SQLite's batches are smaller than BULK_BATCH).
    assert len(batches) == 2 and batches[0] <= services.BULK_BATCH
    assert record.status == TeacherImport.Status.FAILED
    assert not record.report["applied"]
    assert record.report["file_error"]
    assert differences(before, database_snapshot()) == ["people.TeacherImport"]


def test_without_the_failure_the_same_list_is_written(school):  # noqa: F811
    """The failure above is what stops the writes, not something about the list."""
    rows = services.BULK_BATCH + 100
    record = imports.create_import(
        organisation=school,
        file=ContentFile(teachers_file(rows), name="teachers.csv"),
        dry_run=False,
    )

    record = imports.run_import(record.pk)

    assert record.status == TeacherImport.Status.APPLIED
    assert TeacherProfile.objects.filter(person__positions__organisation=school).count() == rows
