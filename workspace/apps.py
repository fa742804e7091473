from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The officials' workspace: Wagtail's admin branded as 典型案例库 and in Chinese only
    (templates, menus, the translations Wagtail's own zh-hans catalogue lacks). docs/admin.md."""

    name = "workspace"
    verbose_name = "工作台"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _
        from wagtail.sites.views import IndexView

        # Wagtail's sites listing labels three columns from their field names, in English.
        labels = {"port": _("端口"), "site_name": _("站点名称"), "root_page": _("根页面")}
        for column in IndexView.columns:
            if column.name in labels:
                column.label = labels[column.name]
