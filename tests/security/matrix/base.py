"""The matrix's test base: the world built once per class, one signed-in client per role, and a
scan of every text response for markers its reader must not see."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile

from django.conf import settings
from django.test import Client, TestCase, override_settings

from . import oracle
from .objects import ROLES, World, build_world, marks

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss", "application/atom",
              "application/javascript", "application/problem+json")
REVIEWERS = ("rev-110000", "rev-310000", "rev-420000")
LOGIN = "/admin/login/"


class MatrixTestCase(TestCase):
    world: World

    @classmethod
    def setUpClass(cls):
        cls._media_dir = tempfile.mkdtemp(prefix="casebook-matrix-")
        # Speed only, no effect on who sees what: sessions in the (local-memory) cache instead of
        # a row written per request, and no redirect lookup on each of the thousands of 404s.
        cls._media = override_settings(
            MEDIA_ROOT=cls._media_dir,
            SESSION_ENGINE="django.contrib.sessions.backends.cache",
            MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.startswith("wagtail.contrib.redirects")],
        )
        cls._media.enable()
        logging.disable(logging.WARNING)  # thousands of expected 404/401 lines would only slow it down
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        logging.disable(logging.NOTSET)
        cls._media.disable()
        shutil.rmtree(cls._media_dir, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.problems: list[str] = []
        self._clients: dict[str, Client] = {}
        self._forbidden: dict[tuple[str, str], list[tuple[str, str]]] = {}

    # --- clients and requests --------------------------------------------------------------

    def client_for(self, key: str) -> Client:
        if key not in self._clients:
            client = Client()
            user = self.world.actors[key].user
            if user is not None:
                client.force_login(user)
            self._clients[key] = client
        return self._clients[key]

    def roles(self):
        return [key for key, *_rest in ROLES]

    def get(self, key: str, path: str, *, audience: str = "role", **kw):
        response = self.client_for(key).get(path, **kw)
        # A 503 with Retry-After is a deliberate "come back later" (the compilation being made).
        if response.status_code >= 500 and not (response.status_code == 503 and response.has_header("Retry-After")):
            self.problems.append(f"{key:7} GET {path}: server error {response.status_code}")
        elif response.status_code < 300 and audience:
            self.scan(key, path, response, audience)
        return response

    def expect(self, key: str, path: str, allowed, response=None, *, audience: str = "role", why: str = ""):
        """Record a problem unless the status is one of `allowed` (an int, a set, or "login")."""
        response = response if response is not None else self.get(key, path, audience=audience)
        ok = self.status_matches(response, allowed)
        if not ok:
            where = response.get("Location", "")
            self.problems.append(
                f"{key:7} GET {path}: expected {allowed}, got {response.status_code}"
                + (f" → {where}" if where else "") + (f" ({why})" if why else "")
            )
        return response

    @staticmethod
    def status_matches(response, allowed) -> bool:
        if allowed == "login":
            return response.status_code == 302 and response["Location"].startswith(LOGIN)
        if isinstance(allowed, int):
            return response.status_code == allowed
        return response.status_code in allowed

    def assert_no_problems(self):
        if self.problems:
            shown = "\n".join(self.problems[:60])
            more = f"\n… and {len(self.problems) - 60} more" if len(self.problems) > 60 else ""
            self.fail(f"{len(self.problems)} access-control mismatches (role, request, expected, got):\n{shown}{more}")

    # --- leak scan --------------------------------------------------------------------------

    @staticmethod
    def text_of(response) -> str | None:
        if getattr(response, "streaming", False):
            return None
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            return None
        text = response.content.decode("utf-8", errors="replace")
        if "json" in content_type:
            try:
                text = json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                pass
        return text

    def scan(self, key: str, path: str, response, audience: str) -> None:
        text = self.text_of(response)
        if not text:
            return
        for marker, why in self.forbidden(key, audience):
            if marker in text:
                self.problems.append(f"{key:7} GET {path}: LEAK of {why} ({marker})")

    def forbidden(self, key: str, audience: str) -> list[tuple[str, str]]:
        """(marker, what it is) pairs `key` must not find in a response of this audience."""
        cache_key = (key, audience)
        if cache_key in self._forbidden:
            return self._forbidden[cache_key]
        actor = self.world.actors[key]
        out: list[tuple[str, str]] = []
        for case in self.world.case_list():
            m = marks(self.world.index[case.pk])
            label = f"case {case.pk} {case.status}/{case.region_id}"
            if audience == "role":
                shown = {
                    "title": oracle.sees_case(actor, case),
                    "organisation": oracle.sees_organisation(actor, case),
                    "contact_name": oracle.sees_contacts(actor, case),
                    "contact_phone": oracle.sees_contacts(actor, case),
                    "contact_email": oracle.sees_contacts(actor, case),
                    "public_attachment": oracle.sees_attachment(actor, case, public=True, letter=False),
                    "private_attachment": oracle.sees_attachment(actor, case, public=False, letter=False),
                    "letter": oracle.sees_attachment(actor, case, public=False, letter=True),
                    "image": oracle.sees_image(actor, case),
                }
            else:  # the public site and the public API, whoever is signed in
                public = oracle.public_page(case) or (audience == "notice" and oracle.notice_page(case))
                shown = dict.fromkeys(m, False)
                shown.update(title=public, organisation=public, public_attachment=oracle.public_page(case),
                             image=oracle.public_page(case))
            out += [(m[name], f"{name} of {label}") for name, visible in shown.items() if not visible]
            for author, comment in self.world.comments.get(case.pk, {}).items():
                if audience != "role" or not oracle.sees_comment(actor, case, author):
                    out.append((comment, f"{author}'s review comment on {label}"))
        own = actor.user.username if actor.user else None
        staff = actor.role in oracle.STAFF and audience == "role"
        if not staff:
            out += [(name, "a reviewer's identity") for name in REVIEWERS if name != own]
            out += [(self.world.objector[k], f"the objector's {k}") for k in ("name", "phone", "email")]
            out.append(("MXR异议理由", "the objection's text"))
            # Accounts' e-mail addresses: one's own, and a recommender its province's submitters.
            for other in self.world.accounts:
                mine = other.username == own
                managed = actor.role == "recommender" and other.role == "submitter" and audience == "role" \
                    and oracle.in_scope(actor, other.region_id)
                if not (mine or managed):
                    out.append((other.email, f"the e-mail of account {other.username}"))
        self._forbidden[cache_key] = out
        return out
