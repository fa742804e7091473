from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUBMITTER = "submitter", _("申报单位")
    RECOMMENDER = "recommender", _("推荐单位")
    SECRETARIAT = "secretariat", _("组织方")
    REVIEWER = "reviewer", _("评审专家")
    ADMIN = "admin", _("系统管理员")


# Roles whose scope is a region (and, for a recommender, a province).
REGIONAL_ROLES = frozenset({Role.SUBMITTER, Role.RECOMMENDER})
