"""Image uploads are decoded outside the case's row lock, a bounded number at a time per process
(cases/uploads.py `decode_slot`), and refused with a Chinese message when the wait is too long.

The decode slots are held by the test itself, which makes "an upload is decoding now" a state the
test controls rather than a race it hopes to win.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.utils import OperationalError

from cases import editing, uploads
from cases.models import Case, CaseImage
from tests import factories
from tests.api.conftest import sign_in
from tests.factories import case_in
from tests.files import png_bytes

BUSY = "服务器正在处理其他图片，请稍后重新上传。"


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场.png", png_bytes(size=(400, 300)), content_type="image/png")


@pytest.fixture
def one_slot(settings):
    settings.CASEBOOK = {**settings.CASEBOOK, "IMAGE_DECODE_CONCURRENCY": 1, "IMAGE_DECODE_WAIT_SECONDS": 30}
    return settings


def hold_every_slot(stack: ExitStack, settings) -> None:
    for _ in range(settings.CASEBOOK["IMAGE_DECODE_CONCURRENCY"]):
        stack.enter_context(uploads.decode_slot())


@pytest.mark.django_db
def test_an_upload_that_waits_too_long_for_a_decode_slot_is_refused_and_saves_nothing(one_slot, campaign):
    one_slot.CASEBOOK = {**one_slot.CASEBOOK, "IMAGE_DECODE_WAIT_SECONDS": 0.2}
    case = case_in("draft", campaign=campaign, region_code="440100")
    user = factories.submitter("440100", username="busy-uploader")
    api = sign_in(user)
    before = CaseImage.objects.filter(case=case).count()
    with ExitStack() as stack:
        hold_every_slot(stack, one_slot)
        with pytest.raises(ValidationError) as refused:
            editing.add_image(case=case, by=user, file=photo(), alt="现场照片")
        assert refused.value.message_dict == {"file": [BUSY]}
        response = api.post(f"/api/v1/submissions/{case.pk}/images", {"file": photo(), "alt": "现场照片"},
                            format="multipart")
        assert response.status_code == 400 and BUSY in response.content.decode()
    assert CaseImage.objects.filter(case=case).count() == before
    assert editing.add_image(case=case, by=user, file=photo(), alt="现场照片").pk  # a slot is free again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_case_is_not_locked_while_its_upload_is_decoded(one_slot, campaign):
    """While an API upload waits for (or holds) a decode slot, another request can lock the case
    at once: the upload takes the case's row lock only to write its rows."""
    case = case_in("draft", campaign=campaign, region_code="440100")
    api = sign_in(factories.submitter("440100", username="lock-uploader"))
    before = CaseImage.objects.filter(case=case).count()
    outcome: dict = {}

    def upload() -> None:
        from django.db import connection

        try:
            outcome["response"] = api.post(f"/api/v1/submissions/{case.pk}/images",
                                           {"file": photo(), "alt": "现场照片"}, format="multipart")
        finally:
            connection.close()

    lockable = []
    with ExitStack() as stack:
        hold_every_slot(stack, one_slot)
        uploader = threading.Thread(target=upload)
        uploader.start()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and uploader.is_alive():  # the upload cannot finish meanwhile
            try:
                with transaction.atomic():
                    Case.objects.select_for_update(nowait=True).get(pk=case.pk)
                lockable.append(True)
            except OperationalError:  # "could not obtain lock on row"
                lockable.append(False)
            time.sleep(0.05)
        # By the end the upload is past its permission check and waits for its decode slot.
        assert uploader.is_alive() and all(lockable[-10:]), lockable
    uploader.join(30)
    assert outcome["response"].status_code == 201, outcome["response"].content.decode()
    assert CaseImage.objects.filter(case=case).count() == before + 1
