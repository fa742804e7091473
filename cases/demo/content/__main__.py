"""Self-check: python3 -m cases.demo.content [n]"""
import re
import sys
from collections import Counter

from . import THEMES, generate_cases
from .generator import KEY_GROUPS, ORG_TYPES, SCENARIOS, SPECIAL_PROJECTS, TASK_AREAS

PROVINCES = [
    ("110000", "北京市", []), ("120000", "天津市", []), ("310000", "上海市", []), ("500000", "重庆市", []),
    ("130000", "河北省", [("130100", "石家庄市"), ("130600", "保定市")]),
    ("140000", "山西省", [("140100", "太原市"), ("140200", "大同市")]),
    ("150000", "内蒙古自治区", [("150100", "呼和浩特市"), ("150200", "包头市")]),
    ("210000", "辽宁省", [("210100", "沈阳市"), ("210200", "大连市")]),
    ("220000", "吉林省", [("220100", "长春市"), ("222400", "延边朝鲜族自治州")]),
    ("230000", "黑龙江省", [("230100", "哈尔滨市")]),
    ("320000", "江苏省", [("320100", "南京市"), ("320500", "苏州市"), ("320200", "无锡市")]),
    ("330000", "浙江省", [("330100", "杭州市"), ("330200", "宁波市"), ("330700", "金华市")]),
    ("340000", "安徽省", [("340100", "合肥市"), ("340200", "芜湖市")]),
    ("350000", "福建省", [("350100", "福州市"), ("350200", "厦门市")]),
    ("360000", "江西省", [("360100", "南昌市"), ("360700", "赣州市")]),
    ("370000", "山东省", [("370100", "济南市"), ("370200", "青岛市"), ("370600", "烟台市")]),
    ("410000", "河南省", [("410100", "郑州市"), ("410300", "洛阳市")]),
    ("420000", "湖北省", [("420100", "武汉市"), ("420500", "宜昌市")]),
    ("430000", "湖南省", [("430100", "长沙市"), ("433100", "湘西土家族苗族自治州")]),
    ("440000", "广东省", [("440100", "广州市"), ("440300", "深圳市"), ("440600", "佛山市")]),
    ("450000", "广西壮族自治区", [("450100", "南宁市"), ("450300", "桂林市")]),
    ("460000", "海南省", [("460100", "海口市")]),
    ("510000", "四川省", [("510100", "成都市"), ("510700", "绵阳市")]),
    ("520000", "贵州省", [("520100", "贵阳市"), ("522600", "黔东南苗族侗族自治州")]),
    ("530000", "云南省", [("530100", "昆明市"), ("532900", "大理白族自治州")]),
    ("610000", "陕西省", [("610100", "西安市"), ("610300", "宝鸡市")]),
    ("620000", "甘肃省", [("620100", "兰州市")]),
    ("650000", "新疆维吾尔自治区", [("650100", "乌鲁木齐市")]),
]

LIMITS = {"title": (1, 60), "summary": (80, 300), "background": (120, 1500),
          "approach": (300, 900), "outcomes": (120, 2500), "lessons": (120, 1500),
          "replicability": (120, 2000)}
KEYS = {"title", "summary", "region", "organisation", "organisation_type", "contact_name",
        "contact_phone", "contact_email", "period_start", "period_end", "scenarios", "task_area",
        "key_groups", "special_project", "background", "approach", "outcomes", "lessons",
        "replicability", "indicators", "category_hint"}


def check(cases, provinces):
    errors = []
    codes = {p[0] for p in provinces} | {c for p in provinces for c, _ in p[2]}
    titles = Counter(c["title"] for c in cases)
    errors += [f"duplicate title: {t}" for t, k in titles.items() if k > 1]
    for i, c in enumerate(cases):

        def e(msg: str, i: int = i, c: dict = c) -> None:
            errors.append(f"case {i} ({c['title']}): {msg}")

        if set(c) != KEYS:
            e(f"keys {set(c) ^ KEYS}")
        for k, (lo, hi) in LIMITS.items():
            if not lo <= len(c[k]) <= hi:
                e(f"{k} length {len(c[k])}")
        if c["region"] not in codes:
            e("region")
        if c["organisation_type"] not in ORG_TYPES:
            e("org type")
        if not re.fullmatch(r"1[3589]\d{9}", c["contact_phone"]):
            e("phone")
        if not re.fullmatch(r"[a-z0-9.]+@example\.cn", c["contact_email"]):
            e("email")
        if not ("2021-01-01" <= c["period_start"] < c["period_end"] <= "2026-12-31"):
            e("period")
        if not (1 <= len(c["scenarios"]) <= 3 and set(c["scenarios"]) <= set(SCENARIOS)):
            e("scenarios")
        if not (1 <= len(c["key_groups"]) <= 3 and set(c["key_groups"]) <= set(KEY_GROUPS)):
            e("key groups")
        if c["task_area"] not in TASK_AREAS:
            e("task area")
        if c["special_project"] not in SPECIAL_PROJECTS + [""]:
            e("special project")
        if not ("一是" in c["approach"] and "三是" in c["approach"]):
            e("approach points")
        if not all(w in c["replicability"] for w in ("前提条件", "投入成本", "实施周期", "推广步骤")):
            e("replicability keywords")
        if not 2 <= len(c["indicators"]) <= 4:
            e("indicator count")
        for ind in c["indicators"]:
            if not (ind["value"].replace(".", "").isdigit() and
                    (ind["baseline"] == "" or ind["baseline"].replace(".", "").isdigit())):
                e(f"indicator {ind}")
        if any("{" in v or "[" in v for v in c.values() if isinstance(v, str)):
            e("unfilled slot")
        if c["category_hint"] not in THEMES:
            e("category hint")
    def used(key: str) -> set:
        return {x for c in cases for x in (c[key] if isinstance(c[key], list) else [c[key]])}

    for key, allowed in (("scenarios", SCENARIOS), ("task_area", TASK_AREAS), ("key_groups", KEY_GROUPS)):
        missing = set(allowed) - used(key)
        if missing:
            errors.append(f"{key} never used: {sorted(missing)}")
    return errors


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 320
    cases = generate_cases(n, seed=2026, provinces=PROVINCES)
    again = generate_cases(n, seed=2026, provinces=PROVINCES)
    errors = check(cases, PROVINCES)
    if cases != again:
        errors.append("not deterministic")
    sents = Counter(s for c in cases for k in ("background", "approach", "outcomes", "lessons")
                    for s in re.split(r"(?<=[。！？])", c[k]) if s)
    repeated = sum(1 for s, k in sents.items() if k > 1)
    text = "".join(c["summary"] + c["background"] + c["approach"] for c in cases)
    print(f"themes={len(THEMES)} cases={len(cases)} unique titles={len({c['title'] for c in cases})}")
    print("per theme:", dict(Counter(c["category_hint"] for c in cases)))
    print(f"provinces used={len({c['region'][:2] for c in cases})}/{len(PROVINCES)}")
    print(f"distinct sentences={len(sents)} repeated={repeated}")
    print("phrases:", {w: text.count(w) for w in ("老年人", "适老化", "农民", "手机", "退役军人",
                                                 "数字乡村", "智慧助老", "反诈")})
    print("errors:", len(errors))
    for err in errors[:30]:
        print("  ", err)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
