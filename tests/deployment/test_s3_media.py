"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), against a local moto server.

The storage is the one the production settings build from the environment. Uploads go through
the services, files come back through the permission-checking views and the printable 申报书
embeds an image read from the bucket; nothing is written to MEDIA_ROOT.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time

import pytest
from django.test import Client
from pypdf import PdfReader

from cases import editing, workflow
from tests.factories import case_in, submitter
from tests.files import png_upload

from .servers import HOST, free_port, production_settings, reachable, secret_key

pytestmark = pytest.mark.django_db

BUCKET = "casebook-media-test"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A moto S3 server on a free port (the stand-in for the object storage), with the bucket."""
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("moto.server", reason="moto[server] is in requirements-dev.txt")
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not reachable(HOST, port):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        endpoint = f"http://{HOST}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="cn-north-1",
                              aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        yield endpoint, client
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch, tmp_path):
    """The production settings' media storage for MEDIA_STORAGE=s3, in this process."""
    endpoint, client = s3_endpoint
    for name, value in {
        "SECRET_KEY": secret_key(), "ALLOWED_HOSTS": "casebook.example.cn", "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": "cn-north-1",
        "AWS_S3_ADDRESSING_STYLE": "path", "AWS_LOCATION": "media", **CREDENTIALS,
    }.items():
        monkeypatch.setenv(name, value)
    media = production_settings()["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": media}
    settings.MEDIA_ROOT = tmp_path / "media-must-stay-empty"
    return client  # the `settings` fixture restores the storages afterwards


def _keys(client) -> set[str]:
    return {obj["Key"] for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_case_images_live_in_the_bucket_and_are_served_by_the_permission_views(s3_media, settings):
    client = s3_media
    case = case_in("draft", region_code="440100")
    owner = submitter("440100", username="sub-440100")  # after case_in, which sets its password again
    image = editing.add_image(case=case, by=owner, file=png_upload("课堂.png", size=(640, 480)), alt="课堂现场")
    key = f"media/{image.image.file.name}"
    assert key in _keys(client)
    stored = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant
    assert "Signature" not in image.image.file.url and "X-Amz" not in image.image.file.url  # no working link

    browser = Client()
    browser.force_login(owner)
    original = browser.get(f"/files/images/{image.pk}/original/")
    assert original.status_code == 200 and b"".join(original.streaming_content) == stored
    rendition = browser.get(f"/files/images/{image.pk}/max-400x400/")
    assert rendition.status_code == 200 and rendition["Content-Type"].startswith("image/")
    assert any(k.startswith("media/images/") for k in _keys(client))  # the rendition went to the bucket
    assert Client().get(f"/files/images/{image.pk}/original/").status_code == 404  # a draft: not public

    workflow.transition(case=case, name="submit", by=owner)  # the 申报书 exists once submitted
    pdf = browser.get(f"/files/cases/{case.pk}/application.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert any(page.images for page in PdfReader(io.BytesIO(pdf.content)).pages)  # read from the bucket

    media_root = settings.MEDIA_ROOT
    assert not media_root.exists() or not any(media_root.rglob("*"))
