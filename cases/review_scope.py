"""Which cases a reviewer is assigned to. The review issue replaces the body with a real lookup."""

from django.db.models import Q


def assigned_cases_q(user) -> Q:
    # No assignments exist yet: a reviewer is assigned to nothing.
    return Q(pk__in=[])
