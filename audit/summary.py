"""One sentence in Chinese for an audit event's details, for the secretariat's 审计日志 (instead of
raw JSON). Unknown keys still appear, as "键：值", so nothing recorded is hidden."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from . import actions

# Words for the values the receivers and views record (audit/receivers.py, cases/audit_trail.py, security/...).
VALUES = {
    "session": "网页登录", "api": "接口令牌", "credentials": "用户名或密码错误", "locked": "账号被锁定",
    "inactive": "账号已停用", "idle": "长时间未操作", "absolute": "超过登录时限",
    "nomination_sheet": "推荐汇总表", "ranking_sheet": "排名表", "score_sheet": "专家评分汇总表",
    "objections": "异议清单", "signin": "登录", "search": "检索", "pending": "待评审", "draft": "暂存",
    "final": "已提交", "conflict": "已回避", "confirm": "确认", "enrol": "启用", "disable": "停用",
}
KEYS = {
    "channel": "方式", "reason": "原因", "path": "地址", "method": "请求", "export": "导出", "province": "省份",
    "category": "征集方向", "count": "条数", "case": "案例", "reviewer": "评审专家", "status": "状态",
    "total": "总分", "title": "标题", "rule": "规则", "limit": "上限", "window": "时段（秒）",
    "deleted": "删除条数", "retention_days": "保留天数", "before": "早于", "sessions_ended": "结束会话",
    "tokens_revoked": "吊销令牌", "cleared": "清除失败记录", "address": "地址", "by": "操作方式",
    "step": "步骤", "failures": "失败次数", "transition": "操作", "from": "原状态", "to": "新状态",
    "record_id": "流转记录",
}


# Words the apps above the audit log know for their own values (a case's states, its transitions),
# registered from their AppConfig.ready: the audit log stands below them and never imports them.
# A function returns None for a value it does not know; VALUES then answers.
WORDS: dict[str, list[Callable[[str], str | None]]] = {}


def register_words(keys: Iterable[str], words: Callable[[str], str | None]) -> None:
    for key in keys:
        if words not in WORDS.setdefault(key, []):
            WORDS[key].append(words)


def _value(key: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        for words in WORDS.get(key, ()):
            word = words(value)
            if word is not None:
                return word
        return _(VALUES.get(value, value))
    return str(value)


def describe(action: str, details: dict[str, Any] | None) -> str:
    """The details as a person reads them, e.g. "提交：草稿 → 已提交" or "推荐汇总表（省份 440000）"."""
    details = dict(details or {})
    if not details:
        return ""
    if action == actions.CASE_TRANSITION:
        text = _("%(action)s：%(from)s → %(to)s") % {
            "action": _value("transition", details.pop("transition", "")),
            "from": _value("from", details.pop("from", "")), "to": _value("to", details.pop("to", "")),
        }
        reason = details.pop("reason", "")
        details.pop("record_id", None)
        if reason:
            text += _("；理由：%(reason)s") % {"reason": reason}
        return text + _rest(details)
    if action == actions.EXPORT and "export" in details:
        text = _value("export", details.pop("export"))
        return text + _rest(details, lead="（", tail="）")
    if action == actions.RATE_LIMITED and {"rule", "limit", "window"} <= details.keys():
        text = _("%(rule)s：每 %(window)s 秒不超过 %(limit)s 次") % {
            "rule": _value("rule", details.pop("rule")), "window": details.pop("window"), "limit": details.pop("limit")}
        return text + _rest(details)
    return _rest(details, lead="")


def _rest(details: dict[str, Any], lead: str = "；", tail: str = "") -> str:
    if not details:
        return ""
    parts = [f"{_(KEYS.get(k, k))}：{_value(k, v)}" for k, v in details.items()]  # as recorded
    return lead + "，".join(parts) + tail
