"""Structured metadata (schema.org JSON-LD) of the open data: the case collection as a Dataset.

The case pages carry their own Article metadata (website/views.py); this describes the data
set as a whole, with its distributions (CSV, RSS, the JSON API), for data-set search engines.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def dataset_json_ld(request, *, case_count: int, operator: str, modified=None) -> dict:
    absolute = request.build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": _("提升全民数字素养与技能典型案例库"),
        "description": _(
            "各地提升全民数字素养与技能试点示范工作中正式发布的典型案例：案例摘要、所属地区、应用场景、"
            "主要任务、重点群体、入选等级、成效指标和案例网址。共 %(n)d 个案例。"
        ) % {"n": case_count},
        "url": absolute(reverse("opendata:stats")),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": operator},
        "keywords": [_("数字素养"), _("数字技能"), _("典型案例"), _("试点示范")],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": absolute(reverse("opendata:cases_csv"))},
            {"@type": "DataDownload", "encodingFormat": "application/rss+xml", "contentUrl": absolute(reverse("opendata:feed"))},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": absolute("/api/v1/cases")},
        ],
    }
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    return data
