"""The admin's chrome for every role: only our menus, no Wagtail guides, reports or site summary.

What stays of Wagtail's own tools is what the secretariat uses to run the public site (pages,
images, documents; for administrators sites, collections and redirects). Accounts are managed
in 账号管理 (accounts/), so Wagtail's own users and groups are not in the menu. docs/admin.md.
"""

from wagtail import hooks

# Wagtail-only menus nobody here needs: its English editor guide and "what's new", keyboard
# shortcuts help, and reports about Wagtail's page tree (our audit log is the site history).
HIDDEN_MAIN_MENU_ITEMS = frozenset({"help", "reports"})
# In Settings: Wagtail's users and groups (ours: 账号管理), its moderation workflows (off).
HIDDEN_SETTINGS_ITEMS = frozenset({"users", "groups", "workflows", "workflow-tasks"})


@hooks.register("construct_main_menu")
def hide_wagtail_only_menus(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_MAIN_MENU_ITEMS]


@hooks.register("construct_settings_menu")
def hide_wagtail_accounts(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_SETTINGS_ITEMS]


@hooks.register("construct_homepage_summary_items")
def no_site_summary(request, summary_items):
    """"3 Pages / 345 Images / 153 Documents created in …" is nobody's to-do."""
    summary_items[:] = []
