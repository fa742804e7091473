"""The stable codes of docs/domain.md §2; labels are the user-facing Chinese text."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scenario(models.TextChoices):
    LIFE = "life", _("数字生活")
    WORK = "work", _("数字工作")
    LEARNING = "learning", _("数字学习")
    INNOVATION = "innovation", _("数字创新")


class TaskArea(models.TextChoices):
    RESOURCES = "resources", _("丰富优质数字资源供给")
    LIFE = "life", _("提升高品质数字生活水平")
    WORK = "work", _("提升高效率数字工作能力")
    LEARNING = "learning", _("构建终身数字学习体系")
    INNOVATION = "innovation", _("激发数字创新活力")
    SECURITY = "security", _("提高数字安全保护能力")
    ETHICS = "ethics", _("强化数字社会法治道德规范")


class KeyGroup(models.TextChoices):
    OFFICIALS = "officials", _("领导干部和公务员")
    FARMERS = "farmers", _("农民")
    WORKERS = "workers", _("产业工人")
    WOMEN = "women", _("妇女")
    VOCATIONAL_STUDENTS = "vocational_students", _("职业院校学生")
    STUDENTS = "students", _("中小学生")
    TEACHERS = "teachers", _("教师")
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残障人士")
    VETERANS = "veterans", _("退役军人")
    NEW_OCCUPATIONS = "new_occupations", _("新兴职业群体")
    SMES = "smes", _("中小企业员工")
    PUBLIC = "public", _("社会公众")


class SpecialProject(models.TextChoices):
    PARTICIPATION = "participation", _("公民数字参与提升工程")
    ACCESSIBILITY = "accessibility", _("数字社会无障碍和适老化改造提升工程")
    INDUSTRY_EDUCATION = "industry_education", _("数字技能产教融合工程")
    OFFICIALS = "officials", _("领导干部和公务员数字素养提升工程")
    VETERANS = "veterans", _("退役军人数字素养与技能提升工程")
    TALENT = "talent", _("高端数字人才培育工程")


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    INSTITUTION = "institution", _("事业单位")
    SCHOOL = "school", _("学校")
    ENTERPRISE = "enterprise", _("企业")
    NGO = "ngo", _("社会组织")
    GRASSROOTS = "grassroots", _("基层组织（街道/社区/村）")


def label_of(choices: type[models.TextChoices], code: str) -> str:
    """The Chinese label of a code, or the code itself when it is unknown."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code
