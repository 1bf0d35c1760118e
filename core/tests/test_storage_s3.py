"""Uploads work on S3-compatible object storage by configuration alone.

A local S3 server (moto) is started on a free port for the test; the storage comes from the
same settings code production uses, with STORAGE_BACKEND=s3 and the AWS_* variables.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from meetings import services as meeting_services
from people import imports
from people.models import TeacherImport

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

BUCKET = "collegium-evidence"
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "collegium" / "settings.py"


@pytest.fixture
def s3(settings, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        monkeypatch.setenv("STORAGE_BACKEND", "s3")
        monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
        monkeypatch.setenv("AWS_S3_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("AWS_S3_REGION_NAME", "us-east-1")
        configured = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
        assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
        settings.STORAGES = {**settings.STORAGES, "default": configured}
        yield client
    finally:
        server.stop()


def test_evidence_round_trips_through_s3_and_the_protected_view(client, world, s3):
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
    attachment = meeting_services.attach(
        actor=world.leader,
        title="",
        decision=world.decision,
        file=SimpleUploadedFile("Протокол.pdf", pdf),
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [attachment.file.name]
    assert s3.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read() == pdf

    client.force_login(world.member)
    response = client.get(f"/evidence/{attachment.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")

    client.logout()
    assert client.get(f"/evidence/{attachment.pk}/file/").status_code == 302


def test_a_teacher_import_is_read_back_from_s3(world, s3):
    csv = "Фамилия;Имя;Отчество;Должность\nИванова;Анна;Петровна;Учитель\n".encode()
    record = imports.create_import(
        organisation=world.school_a, file=SimpleUploadedFile("list.csv", csv), dry_run=True
    )
    assert s3.head_object(Bucket=BUCKET, Key=record.file.name)["ContentLength"] == len(csv)
    record = imports.run_import(record.pk)
    assert record.status == TeacherImport.Status.CHECKED, record.report
