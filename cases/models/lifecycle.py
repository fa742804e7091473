"""The state graph of docs/domain.md §4 as django-fsm transitions.

These methods only move the protected state; `cases/workflow.py` is the one caller and does
the locking, permission and guard checks, the audit record and the effects.
"""

from django_fsm import RETURN_VALUE, transition

from ..states import CaseStatus as S

FIELD = "status"


class CaseLifecycle:
    @transition(field=FIELD, source=[S.DRAFT, S.RETURNED], target=RETURN_VALUE(S.SUBMITTED, S.RECOMMENDED))
    def submit(self):
        return S.SUBMITTED if self.campaign.nomination_required else S.RECOMMENDED

    @transition(field=FIELD, source=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED], target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=FIELD, source=S.SUBMITTED, target=S.RECOMMENDED)
    def recommend(self):
        pass

    @transition(field=FIELD, source=S.SUBMITTED, target=S.REJECTED)
    def decline(self):
        pass

    @transition(field=FIELD, source=[S.SUBMITTED, S.RECOMMENDED], target=S.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=FIELD, source=S.RECOMMENDED, target=S.ELIGIBLE)
    def pass_check(self):
        pass

    @transition(field=FIELD, source=S.RECOMMENDED, target=S.REJECTED)
    def fail_check(self):
        pass

    @transition(field=FIELD, source=S.ELIGIBLE, target=S.IN_REVIEW)
    def start_review(self):
        pass

    @transition(field=FIELD, source=S.IN_REVIEW, target=S.REVIEWED)
    def complete_review(self):
        pass

    @transition(field=FIELD, source=S.REVIEWED, target=S.SHORTLISTED)
    def shortlist(self):
        pass

    @transition(field=FIELD, source=S.REVIEWED, target=S.NOT_SELECTED)
    def not_select(self):
        pass

    @transition(field=FIELD, source=S.SHORTLISTED, target=S.IN_NOTICE)
    def open_notice(self):
        pass

    @transition(field=FIELD, source=S.IN_NOTICE, target=S.PUBLISHED)
    def publish(self):
        pass

    @transition(field=FIELD, source=S.IN_NOTICE, target=S.DISQUALIFIED)
    def disqualify(self):
        pass

    @transition(field=FIELD, source=S.PUBLISHED, target=S.DISQUALIFIED)
    def revoke(self):
        pass

    @transition(field=FIELD, source=S.REJECTED, target=S.RECOMMENDED)
    def reopen(self):
        pass

    @transition(field=FIELD, source=S.NOT_SELECTED, target=S.REVIEWED)
    def reconsider(self):
        pass

    @transition(field=FIELD, source=S.DRAFT, target=S.PUBLISHED)
    def import_published(self):
        """Past results enter as new cases, moved straight from their unsaved draft."""
