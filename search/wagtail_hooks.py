"""Admin wiring of the search app: the synonym dictionary (search/admin.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import SynonymPolicy, SynonymViewSet
from .models import SynonymGroup

# Registered on import, before the viewset is made: Wagtail must never fall back to its
# model-permission policy for this model.
register_permission_policy(SynonymGroup, SynonymPolicy(SynonymGroup), exact_class=True)


@hooks.register("register_admin_viewset")
def register_synonym_viewset():
    return SynonymViewSet()
