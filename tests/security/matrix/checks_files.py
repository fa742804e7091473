"""Case images and attachments (public, not public, recommendation letter), Wagtail's document
serving, objection evidence, and Wagtail's own image/document admin (pages, choosers, admin API)
exercised with the cases' real ids."""

from __future__ import annotations

import re

from . import oracle
from .checks_cases import SECONDARY_STATES
from .urls import WAGTAIL_MEDIA, classify, fill, walk


class FileRouteChecks:
    def test_case_files(self):
        for key in self.roles():
            actor = self.world.actors[key]
            for case in self.world.cases_for(key):
                if case.status not in SECONDARY_STATES:
                    continue
                why = f"{case.status}/{case.region_id}"
                for image in case.images.all():
                    path = f"/files/images/{image.pk}/fill-320x180/"
                    self.expect(key, path, 200 if oracle.sees_image(actor, case) else 404, why=why)
                for att in case.attachments.select_related("document"):
                    letter = att.kind == "recommendation_letter"
                    ok = oracle.sees_attachment(actor, case, public=att.public, letter=letter)
                    self.expect(key, f"/files/attachments/{att.pk}/", 200 if ok else 404, why=f"{att.title} {why}")
        for case in self.world.case_list():
            for att in case.attachments.select_related("document"):
                # Wagtail's own document URL never serves a case file: it sends to the checking view.
                doc = att.document
                for key in ("anon", "sub_gz"):
                    response = self.expect(key, f"/documents/{doc.pk}/{doc.filename}", 302, why=att.title)
                    if response.status_code == 302 and response["Location"] != f"/files/attachments/{att.pk}/":
                        self.problems.append(f"{key:7} /documents/{doc.pk}/: sent to {response['Location']}")
            # The API's image and attachment items answer DELETE only (checks_writes); GET is 405 for
            # everyone, anonymous included: the method is refused before the sign-in is asked for.
            image, att = case.images.first(), case.attachments.first()
            for path in (f"/api/v1/submissions/{case.pk}/images/{image.pk}",
                         f"/api/v1/submissions/{case.pk}/attachments/{att.pk}"):
                self.expect("anon", path, 405)
        secret = self.world.cases[("draft", "330100")].images.first()
        self.expect("sec", f"/files/images/{secret.pk}/fill-9999x9999/", 404, why="a rendition outside the list")
        self.assert_no_problems()

    def test_objection_evidence(self):
        """The objector's evidence (personal data) is the secretariat's only, wherever it is served."""
        objection = self.world.objection
        doc = objection.evidence
        for key in self.roles():
            staff = self.world.actors[key].role in oracle.STAFF
            login = "login" if self.world.actors[key].role is None else 404
            self.expect(key, f"/admin/desk/objections/{objection.pk}/", 200 if staff else login)
            self.expect(key, f"/admin/desk/objections/{objection.pk}/evidence/", 200 if staff else login)
            self.expect(key, f"/documents/{doc.pk}/{doc.filename}", {200, 302, 403, 404} if staff else {302, 403, 404},
                        why="objection evidence")
            response = self.client_for(key).get(f"/documents/{doc.pk}/{doc.filename}", follow=True)
            if not staff and response.status_code == 200:
                self.problems.append(f"{key:7} GET /documents/{doc.pk}/{doc.filename}: objection evidence served")
            api = f"/api/v1/objections/{objection.pk}/ruling"
            self.expect(key, api, 405)  # POST only: refused before sign-in or role are asked for
        self.assert_no_problems()

    def test_wagtail_media_admin(self):
        """Wagtail's image and document admin, choosers and admin API, with a draft's real image and
        letter (another province's, so nobody but the secretariat may know them)."""
        case = self.world.cases[("draft", "330100")]
        image = case.images.first().image
        letter = case.attachments.get(kind="recommendation_letter").document
        routes = [p for p in walk() if classify(p) == ("wagtail", WAGTAIL_MEDIA)]
        assert routes, "no Wagtail media routes found"
        for pattern in routes:
            media_id = image.pk if "image" in pattern.route else letter.pk
            path = fill(pattern.route, _int=media_id, pk=media_id, filter_spec="max-800x600")
            # Pages naming one of these files are refused to other roles outright. Listings, choosers
            # and upload forms may answer 200 with what the user may choose: the scan checks they
            # hold nothing of a case.
            listing = not re.search(r"<(int|str):(pk|image_id|document_id|doc_id)>", pattern.route)
            for key in ("anon", "sub_gz", "rec_gd", "rev_1", "sec"):  # Wagtail's permissions are per role
                actor = self.world.actors[key]
                response = self.get(key, path)
                if actor.role is None:
                    if not self.status_matches(response, "login"):
                        self.problems.append(f"{key:7} GET {path}: expected the sign-in page, got {response.status_code}")
                elif actor.role not in oracle.STAFF and response.status_code == 200 and not listing:
                    self.problems.append(f"{key:7} GET {path}: 200 for a non-staff role ({pattern.name})")
        self.assert_no_problems()
