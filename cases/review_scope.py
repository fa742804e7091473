"""Which cases a reviewer is assigned to (a declared conflict ends the assignment's visibility)."""

from django.db.models import Q

from .models import ReviewAssignment, ReviewStatus


def assigned_cases_q(user) -> Q:
    assigned = ReviewAssignment.objects.filter(reviewer=user).exclude(status=ReviewStatus.CONFLICT)
    return Q(pk__in=assigned.values("case_id"))
