"""Hidden and protected fields can't be written by extra POST/PATCH fields: state, scores, ranks,
tier, dates, province, authorship; nor can anyone write where they may not (the DB is re-read)."""

from __future__ import annotations

import json

from cases.models import Case, CaseAttachment, CaseImage, ReviewAssignment
from tests.admin.helpers import case_form_data

PROTECTED = ("status", "tier_id", "nomination_rank", "published_at", "submitted_at", "notice_ends",
             "deadline_extension", "province_id", "created_by_id", "campaign_id")
EXTRA = {
    "status": "published", "state": "published", "tier": "exemplary", "nomination_rank": 1, "rank": 1,
    "published_at": "2026-01-01T00:00:00+08:00", "submitted_at": "2026-01-01T00:00:00+08:00",
    "notice_ends": "2026-01-01T00:00:00+08:00", "deadline_extension": "2030-01-01T00:00:00+08:00",
    "province": "330000", "created_by": 1, "scores": {"innovation": 25}, "total": 100, "expected_status": None,
}


def snapshot(case: Case) -> dict:
    fresh = Case.objects.get(pk=case.pk)
    return {name: getattr(fresh, name) for name in PROTECTED}


class WriteChecks:
    def patch(self, key, path, data):
        return self.client_for(key).patch(path, data=json.dumps(data), content_type="application/json")

    def post_json(self, key, path, data):
        return self.client_for(key).post(path, data=json.dumps(data), content_type="application/json")

    def unchanged(self, what: str, case: Case, before: dict, **fields):
        after = snapshot(case)
        if after != before:
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            self.problems.append(f"{what}: protected fields changed {changed}")
        fresh = Case.objects.get(pk=case.pk)
        for name, value in fields.items():
            if getattr(fresh, name) != value:
                self.problems.append(f"{what}: {name} became {getattr(fresh, name)!r}")

    def test_api_extra_fields_are_ignored_or_refused(self):
        own = self.world.cases[("draft", "440100")]
        before = snapshot(own)
        r = self.patch("sub_gz", f"/api/v1/submissions/{own.pk}", {"title": "MX改名草稿", **EXTRA})
        self.assertIn(r.status_code, (200, 400), r.content)
        self.unchanged("sub_gz PATCH own draft with extra fields", own, before)
        # Moving a case out of one's own region is refused, not applied.
        r = self.patch("sub_gz", f"/api/v1/submissions/{own.pk}", {"region": "330100"})
        self.unchanged(f"sub_gz PATCH region → 330100 ({r.status_code})", own, before, region_id="440100")
        # Where one may see but not edit (409/403), or not see at all (404), nothing moves.
        for key, state, region in [("rec_gd", "submitted", "440100"), ("sub_hz", "draft", "440100"),
                                   ("rev_1", "in_review", "440100"), ("sub_gz", "published", "330100"),
                                   ("sec", "submitted", "330100")]:
            case = self.world.cases[(state, region)]
            before = snapshot(case)
            title = Case.objects.get(pk=case.pk).title
            r = self.patch(key, f"/api/v1/submissions/{case.pk}", {"title": "MX越权改名", "contact_phone": "13000000000", **EXTRA})
            if r.status_code < 400:
                self.problems.append(f"{key} PATCH {state}/{region}: accepted ({r.status_code})")
            self.unchanged(f"{key} PATCH {state}/{region}", case, before, title=title)
        # Creating: protected fields in the body are refused (400, nothing created); without them the
        # case is a draft, and only within one's scope.
        count = Case.objects.count()
        body = {"campaign": self.world.campaign.slug, "title": "MX新建草稿", "region": "440100"}
        r = self.post_json("sub_gz", "/api/v1/submissions", {**body, **EXTRA})
        if r.status_code != 400 or Case.objects.count() != count:
            self.problems.append(f"sub_gz POST a case with protected fields: {r.status_code}")
        r = self.post_json("sub_gz", "/api/v1/submissions", body)
        self.assertEqual(r.status_code, 201, r.content)
        created = Case.objects.get(pk=r.json()["id"])
        self.assertEqual((created.status, created.tier_id, created.nomination_rank, created.published_at),
                         ("draft", None, None, None))
        count = Case.objects.count()
        r = self.post_json("sub_gz", "/api/v1/submissions", {**body, "title": "MX越权新建", "region": "330100"})
        if r.status_code < 400 or Case.objects.count() != count:
            self.problems.append(f"sub_gz POST a case in 330100: {r.status_code}")
        self.assert_no_problems()

    def test_transitions_and_files_refused_where_not_allowed(self):
        own = self.world.cases[("draft", "440100")]
        before = snapshot(own)
        for key, name in [("sub_gz", "publish"), ("sub_gz", "recommend"), ("sub_hz", "withdraw"),
                          ("rec_zj", "withdraw"), ("rev_1", "withdraw"), ("anon", "submit")]:
            r = self.post_json(key, f"/api/v1/submissions/{own.pk}/transitions/{name}", {"reason": "MX越权操作理由"})
            if r.status_code < 400:
                self.problems.append(f"{key} POST transition {name} on own draft: {r.status_code}")
        self.unchanged("refused transitions", own, before)
        # A transition that is allowed applies itself and nothing else of the body.
        r = self.post_json("sub_gz", f"/api/v1/submissions/{own.pk}/transitions/submit",
                           {"expected_status": "draft", "tier": "exemplary", "rank": 1, "status": "published"})
        fresh = Case.objects.get(pk=own.pk)
        if r.status_code == 200:  # extra inputs ignored: the transition applies itself and nothing else
            self.assertEqual((fresh.status, fresh.tier_id, fresh.nomination_rank), ("submitted", None, None))
        else:  # or refused as a whole
            self.assertEqual(fresh.status, "draft", r.content)
        # Nomination, assignment, notice and publication belong to their roles.
        slug = self.world.campaign.slug
        for key in ("sub_gz", "rec_gd", "rev_1", "anon"):
            for path in (f"/api/v1/campaigns/{slug}/assignments", f"/api/v1/campaigns/{slug}/notice",
                         f"/api/v1/campaigns/{slug}/publish", f"/api/v1/objections/{self.world.objection.pk}/ruling"):
                r = self.post_json(key, path, {"outcome": "upheld", "conclusion": "MX越权裁定"})
                if r.status_code < 400:
                    self.problems.append(f"{key} POST {path}: {r.status_code}")
        self.world.objection.refresh_from_db()
        self.assertEqual(self.world.objection.outcome, "open")
        # Files of a case one may not edit stay where they are.
        secret = self.world.cases[("draft", "330100")]
        image, att = secret.images.first(), secret.attachments.first()
        for key in ("sub_gz", "rec_zj", "rev_1", "anon"):
            for path in (f"/api/v1/submissions/{secret.pk}/images/{image.pk}",
                         f"/api/v1/submissions/{secret.pk}/attachments/{att.pk}"):
                r = self.client_for(key).delete(path)
                if r.status_code < 400:
                    self.problems.append(f"{key} DELETE {path}: {r.status_code}")
        self.assertTrue(CaseImage.objects.filter(pk=image.pk).exists() and CaseAttachment.objects.filter(pk=att.pk).exists())
        # Objections only while a case is in notice; a draft is missing.
        r = self.post_json("anon", f"/api/v1/cases/{secret.pk}/objections",
                           {"name": "张三", "phone": "13700000000", "email": "z@example.cn", "reason": "这是一条足够长的异议理由。"})
        self.assertEqual(r.status_code, 404, r.content)
        self.assert_no_problems()

    def test_adoption_reports_follow_their_rules(self):
        from cases.models import Adoption

        from .oracle import adoption_status

        body = {"summary": "MX借鉴：结合本地社区学校开展智能手机培训。", "since": "2026-03-01", "results": ""}
        for (state, region), case in self.world.cases.items():
            if state not in {"published", "in_notice", "draft", "disqualified"}:
                continue
            for key, actor in self.world.actors.items():
                expected = adoption_status(actor, case)
                before = Adoption.objects.filter(case=case).count()
                r = self.post_json(key, f"/api/v1/cases/{case.pk}/adoptions", {**body, "status": "hidden"})
                refused = 401 if actor.role is None else 400  # an unknown field: refused before anything is decided
                if r.status_code != refused:
                    self.problems.append(f"{key} POST adoptions {state}/{region} with status: {r.status_code}")
                r = self.post_json(key, f"/api/v1/cases/{case.pk}/adoptions", body)
                if r.status_code != expected:
                    self.problems.append(f"{key} POST adoptions {state}/{region}: expected {expected}, got {r.status_code}")
                grew = Adoption.objects.filter(case=case).count() - before
                if grew != (1 if expected == 201 else 0):
                    self.problems.append(f"{key} POST adoptions {state}/{region}: {grew} rows written")
        self.assert_no_problems()

    def test_review_scores_cannot_be_forged(self):
        case = self.world.cases[("in_review", "440100")]
        mine = ReviewAssignment.objects.get(case=case, reviewer=self.world.actors["rev_1"].user)
        theirs = ReviewAssignment.objects.get(case=case, reviewer=self.world.actors["rev_2"].user)
        was = (mine.status, mine.total, mine.comment)
        forged = {"total": 100, "status": "final", "reviewer": theirs.reviewer_id, "case": 1}
        body = {"scores": {"innovation": 20}, "comment": "MX评语", "final": False}
        r = self.client_for("rev_1").put(f"/api/v1/reviews/{mine.pk}", data=json.dumps({**body, **forged}),
                                         content_type="application/json")
        self.assertIn(r.status_code, (200, 400), r.content)
        mine.refresh_from_db()
        self.assertEqual((mine.status, mine.reviewer_id, mine.case_id), ("draft", self.world.actors["rev_1"].user.pk, case.pk))
        self.assertNotEqual(mine.total, 100)
        if r.status_code == 400:
            self.assertEqual((mine.status, mine.total, mine.comment), was)  # refused as a whole: nothing saved
        before = (theirs.scores, theirs.comment, theirs.status)
        for key in ("rev_1", "sub_gz", "sec", "anon"):
            r = self.client_for(key).put(f"/api/v1/reviews/{theirs.pk}", data=json.dumps(body), content_type="application/json")
            if r.status_code < 400:
                self.problems.append(f"{key} PUT another reviewer's review: {r.status_code}")
        theirs.refresh_from_db()
        self.assertEqual((theirs.scores, theirs.comment, theirs.status), before)
        self.assert_no_problems()

    def test_admin_form_extra_fields_are_ignored(self):
        own = self.world.cases[("draft", "440100")]
        before = snapshot(own)
        data = case_form_data(campaign=self.world.campaign, region_code="440100", title="MX后台改名",
                              category=self.world.campaign.categories.first())
        data.update({k: v for k, v in EXTRA.items() if v is not None and not isinstance(v, dict)})
        data["campaign"] = str(self.world.campaign.pk)
        r = self.client_for("sub_gz").post(f"/admin/cases/edit/{own.pk}/", data)
        self.assertIn(r.status_code, (200, 302))
        self.unchanged("admin edit with extra fields", own, before)
        self.assertEqual(Case.objects.get(pk=own.pk).title, "MX后台改名")
        # Out of scope region through the form: refused, nothing saved.
        self.client_for("sub_gz").post(f"/admin/cases/edit/{own.pk}/", {**data, "region": "330100", "title": "MX越权"})
        self.unchanged("admin edit region → 330100", own, before, region_id="440100", title="MX后台改名")
        # Those who may not edit get nothing saved, whatever they post.
        for key, state, region in [("rec_gd", "submitted", "440100"), ("sub_hz", "draft", "440100"),
                                   ("sec", "draft", "440100"), ("sub_gz", "submitted", "440100")]:
            case = self.world.cases[(state, region)]
            before = snapshot(case)
            title = Case.objects.get(pk=case.pk).title
            form = case_form_data(campaign=self.world.campaign, region_code=region, title="MX越权后台改名")
            self.client_for(key).post(f"/admin/cases/edit/{case.pk}/", {**form, "status": "published"})
            self.unchanged(f"{key} admin edit {state}/{region}", case, before, title=title)
        self.assert_no_problems()
