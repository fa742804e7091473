"""The audited actions, with the labels the secretariat's audit view shows."""

from django.utils.translation import gettext_lazy as _

LOGIN_SUCCESS = "login.success"
LOGIN_FAILURE = "login.failure"
LOGIN_LOCKED = "login.locked"
LOGOUT = "logout"
SESSION_EXPIRED = "session.expired"
OTP_SUCCESS = "otp.success"
OTP_FAILURE = "otp.failure"
OTP_ENROLLED = "otp.enrolled"
OTP_DISABLED = "otp.disabled"
ACCOUNT_UNLOCKED = "account.unlocked"
ACCOUNT_DISABLED = "account.disabled"
CASE_TRANSITION = "case.transition"
REVIEW_SCORE = "review.score"
FILE_DOWNLOAD = "file.download"
DOCUMENT_DOWNLOAD = "document.download"
EXPORT = "export"
ACCESS_DENIED = "access.denied"
RATE_LIMITED = "rate.limited"
AUDIT_PURGE = "audit.purge"
SEARCH_SYNONYMS = "search.synonyms"
ADOPTION_HIDDEN = "adoption.hidden"
ADOPTION_UNHIDDEN = "adoption.unhidden"

LABELS = {
    LOGIN_SUCCESS: _("登录成功"),
    LOGIN_FAILURE: _("登录失败"),
    LOGIN_LOCKED: _("登录被锁定"),
    LOGOUT: _("退出登录"),
    SESSION_EXPIRED: _("会话超时"),
    OTP_SUCCESS: _("动态口令验证成功"),
    OTP_FAILURE: _("动态口令验证失败"),
    OTP_ENROLLED: _("启用动态口令"),
    OTP_DISABLED: _("停用动态口令"),
    ACCOUNT_UNLOCKED: _("解除登录锁定"),
    ACCOUNT_DISABLED: _("账号停用"),
    CASE_TRANSITION: _("案例流转"),
    REVIEW_SCORE: _("评审打分"),
    FILE_DOWNLOAD: _("下载申报材料"),
    DOCUMENT_DOWNLOAD: _("下载文档"),
    EXPORT: _("导出"),
    ACCESS_DENIED: _("拒绝访问"),
    RATE_LIMITED: _("请求频率超限"),
    AUDIT_PURGE: _("清理过期审计日志"),
    SEARCH_SYNONYMS: _("修改检索同义词"),
    ADOPTION_HIDDEN: _("隐藏借鉴报告"),
    ADOPTION_UNHIDDEN: _("恢复借鉴报告"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
