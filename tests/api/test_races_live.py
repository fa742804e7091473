"""Racing requests against a live server, on SQLite and on PostgreSQL alike.

The server is pytest-django's live server: every request runs in its own thread with its own
database connection, as under gunicorn. On SQLite the test database is a file opened with the
deployed OPTIONS (config/settings/base.py: WAL, IMMEDIATE transactions, a busy timeout), so
these are the embedded default's real locks; on PostgreSQL, its row locks. Either way: one
winner, the others a clear 4xx, never a 500 ("database is locked" was one, issue 14 §1).
"""

from __future__ import annotations

import json
import threading
import uuid
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from accounts.models import AccessToken
from cases.models import Case, CaseImage, CaseTransition
from tests import factories
from tests.factories import CampaignFactory
from tests.files import png_bytes
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def bearer(user) -> str:
    return AccessToken.issue(user)[1]


def call(url: str, token: str, *, body: bytes, content_type: str) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    request = Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - the live server
    try:
        with urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
            return response.status, json.loads(response.read() or b"{}")
    except HTTPError as exc:
        raw = exc.read()
        return exc.code, json.loads(raw) if raw.startswith(b"{") else {"raw": raw[:300].decode(errors="replace")}


def race(requests: list[tuple[str, str, bytes, str]]) -> list[tuple[int, dict]]:
    """Send every request at the same moment, one thread each; the answers in order."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(i: int, url: str, token: str, body: bytes, content_type: str) -> None:
        barrier.wait()
        answers[i] = call(url, token, body=body, content_type=content_type)

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def as_json(data: dict) -> tuple[bytes, str]:
    return json.dumps(data).encode(), "application/json"


def test_twenty_racing_transitions_one_winner(live_server):
    case = bring_to("submitted", campaign=CampaignFactory())
    token = bearer(factories.recommender("440000", username="rec-440000"))
    url = f"{live_server.url}/api/v1/submissions/{case.pk}/transitions/return_for_revision"
    body, content_type = as_json({"reason": "请补充成效数据"})
    answers = race([(url, token, body, content_type)] * 20)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * 19, answers
    assert all("\u4e00" <= ch <= "\u9fff" for status, data in answers if status == 409 for ch in data["detail"][:1])
    assert Case.objects.get(pk=case.pk).status == "returned"
    assert CaseTransition.objects.filter(case=case, transition="return_for_revision").count() == 1


def test_ten_racing_nominations_fill_a_quota_of_three(live_server):
    campaign = CampaignFactory(default_quota=3)
    cases = [bring_to("submitted", campaign=campaign, title=f"案例{i}") for i in range(10)]
    token = bearer(factories.recommender("440000", username="rec-440000"))
    body, content_type = as_json({})
    answers = race([(f"{live_server.url}/api/v1/submissions/{c.pk}/transitions/recommend", token, body, content_type)
                    for c in cases])
    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 3 and all(status in {400, 409} for status in statuses if status != 200), answers
    assert all("名额（3）已用完" in data["detail"] for status, data in answers if status != 200), answers
    ranks = Case.objects.filter(campaign=campaign, status="recommended").values_list("nomination_rank", flat=True)
    assert sorted(ranks) == [1, 2, 3]


def test_overlapping_image_uploads_all_land(live_server):
    case = case_with_no_images()
    token = bearer(factories.submitter("440100", username="sub-440100"))
    url = f"{live_server.url}/api/v1/submissions/{case.pk}/images"
    uploads = [multipart({"alt": f"现场照片{i}"}, png_bytes(color=(i * 40, 60, 40))) for i in range(6)]
    answers = race([(url, token, body, content_type) for body, content_type in uploads])
    assert sorted(status for status, _ in answers) == [201] * 6, answers
    images = CaseImage.objects.filter(case=case)
    assert images.count() == 6 and images.filter(is_cover=True).count() == 1


def case_with_no_images() -> Case:
    case = factories.case_in("draft", region_code="440100", campaign=CampaignFactory())
    case.images.all().delete()
    return case


def multipart(fields: dict[str, str], png: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode() + png + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
