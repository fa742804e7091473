from django import template

from accounts.roles import Role

register = template.Library()


@register.filter
def role_label(user) -> str:
    """The user's role in Chinese (a superuser is 系统管理员), for the dashboard's greeting."""
    role = getattr(user, "effective_role", "")
    return str(Role(role).label) if role in Role.values else ""
