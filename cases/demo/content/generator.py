"""Deterministic assembly of demo cases from theme templates (stdlib only)."""
import datetime
import random
import re

from . import common as C

SCENARIOS = ["life", "work", "learning", "innovation"]
TASK_AREAS = ["resources", "life", "work", "learning", "innovation", "security", "ethics"]
KEY_GROUPS = ["officials", "farmers", "workers", "women", "vocational_students", "students",
              "teachers", "elderly", "disabled", "veterans", "new_occupations", "smes", "public"]
SPECIAL_PROJECTS = ["participation", "accessibility", "industry_education", "officials",
                    "veterans", "talent"]
ORG_TYPES = ["government", "institution", "school", "enterprise", "ngo", "grassroots"]
NUMERALS = "一二三四五六七八"

LAUNCH = [
    "为此，{org}于{start_cn}启动“{project}”，{focus}，力求{goal}。",
    "在此背景下，{org}联合{partner}于{start_cn}推出“{project}”，{focus}，着力{goal}。",
    "{start_cn}起，{org}牵头实施“{project}”，{focus}，目标是{goal}。",
]
HONOURS = [
    "“{project}”先后被{prov}网信办列为数字素养与技能提升优秀实践，相关做法被多家主流媒体报道。",
    "{year_end}年，“{project}”入选{prov}全民数字素养与技能提升典型案例。",
    "{cityfull}的相关经验在{prov}全民数字素养与技能提升工作推进会上作交流发言。",
    "“{project}”参与群众满意度达{satisfaction}%，多次被{city}当地政务新媒体专题报道。",
]
COST_LINES = [
    "投入成本方面，项目累计投入约{cost}万元，主要用于课程开发、设备购置和志愿者补贴，其中财政资金约占{fund_pct}%，其余由合作单位和社会力量共同承担。",
    "投入成本方面，整个项目投入约{cost}万元，场地多利用现有党群服务中心、学校和文化设施，新增硬件投入占比不足{fund_pct}%，总体成本可控。",
    "投入成本方面，首期投入约{cost}万元，后续每年运维经费约为首期的三分之一，通过政府购买服务与企业公益投入相结合的方式保障。",
]
PERIOD_LINES = [
    "实施周期方面，从筹备到全面铺开约需{months}个月，其中“{project}”试点阶段{pilot_months}个月左右。",
    "实施周期方面，一个完整周期约{months}个月，{city}首批点位在{pilot_months}个月内即见到成效。",
    "实施周期方面，建议按{months}个月为一个周期滚动推进，前{pilot_months}个月集中完成“{project}”的队伍组建和课程打磨。",
]


def _pick_some(rng, pool, lo, hi):
    k = min(len(pool), rng.randint(lo, hi))
    idx = sorted(rng.sample(range(len(pool)), k))
    return [pool[i] for i in idx]


def _province_schedule(rng, provinces, n):
    """Round-robin over shuffled provinces, with extra weight for larger ones."""
    weights = [1 + len(p[2]) for p in provinces]
    out = []
    while len(out) < n:
        order = list(range(len(provinces)))
        rng.shuffle(order)
        for i in order:
            out.append(i)
            if rng.random() < 0.25:
                out.append(rng.choices(range(len(provinces)), weights=weights)[0])
    return out[:n]


def _region(rng, prov):
    pcode, pname, prefs = prov
    pshort = C.short_place(pname)
    if not prefs or rng.random() < 0.08:
        ju = "局" if pname.endswith("市") else "厅"
        return pcode, pshort, pname, pname, pshort, ju
    code, name = rng.choice(prefs)
    return code, C.short_place(name), name, pname, pshort, "局"


def _dates(rng):
    y = rng.randint(2021, 2024)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    start = datetime.date(y, m, d)
    months = rng.randint(8, 30)
    em = m - 1 + months
    end = datetime.date(y + em // 12, em % 12 + 1, rng.randint(1, 28))
    end = min(end, datetime.date(2026, 12, 31))
    if end <= start:
        end = start + datetime.timedelta(days=180)
    return start, end


def _contact(rng):
    s, sp = rng.choice(C.SURNAMES)
    g, gp = rng.choice(C.GIVEN_NAMES)
    phone = rng.choice(C.PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    email = f"{sp}.{gp}@example.cn" if rng.random() < 0.6 else f"{gp}{sp}{rng.randint(1, 99)}@example.cn"
    return s + g, phone, email


_SYN = [(re.compile(p), alts) for p, alts in C.SYNONYMS]
_ALT = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")


def _fill(tpl, ctx):
    """Fill {slots}; '[a|b|c]' picks one alternative with the case's rng."""
    rng = ctx["_rng"]
    tpl = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), tpl)
    for pattern, alts in _SYN:
        tpl = pattern.sub(lambda m, alts=alts: rng.choice(alts), tpl)
    return tpl.format_map(ctx)


def _build_ctx(rng, theme, region_info, start, end):
    code, city, cityfull, prov, provshort, ju = region_info
    ctx = {
        "_rng": rng, "city": city, "cityfull": cityfull, "prov": prov, "provshort": provshort, "ju": ju,
        "town": rng.choice(C.TOWNS), "community": rng.choice(C.COMMUNITIES),
        "village": rng.choice(C.VILLAGES), "company": rng.choice(C.COMPANY_WORDS),
        "year": start.year, "year_end": end.year, "start_cn": f"{start.year}年{start.month}月",
        "unit": theme.get("unit", "社区"),
        "cost": rng.randrange(20, 680), "fund_pct": rng.randrange(30, 76),
        "months": rng.randint(6, 18), "pilot_months": rng.randint(2, 5),
        "satisfaction": rng.randint(90, 99), "pilot_sites": rng.randint(2, 6),
        "vol_talks": rng.randint(20, 260), "jobs": rng.randrange(300, 9000, 10),
        "lecturers": rng.randint(12, 90), "hours_v": rng.randint(30, 400),
        "order_n": rng.randrange(40, 600, 10), "school_no": rng.randint(1, 40),
        "mentor_hours": rng.randrange(16, 81),
    }
    partners = rng.sample(theme["partners"], 2)
    ctx["partner"], ctx["partner2"] = partners
    ctx["platform"] = rng.choice(theme["platforms"])
    for key, (lo, hi, step) in theme["metrics"].items():
        v = rng.randrange(lo, hi + 1, step)
        ctx[key] = v
        ctx[key + "_w"] = C.fmt_count(v)
    ctx["focus"] = rng.choice(theme["focus"])
    ctx["goal"] = rng.choice(theme["goal"])
    return ctx


def _org(rng, theme, ctx):
    otype = rng.choice(sorted(theme["orgs"]))
    name = _fill(rng.choice(theme["orgs"][otype]), ctx)
    return otype, name


def _codes(rng, theme):
    scen = [theme["scenarios"][0]] + [s for s in theme["scenarios"][1:] if rng.random() < 0.4]
    groups = [theme["key_groups"][0]] + [g for g in theme["key_groups"][1:] if rng.random() < 0.35]
    tas = theme["task_areas"]
    task = tas[0] if rng.random() < 0.65 or len(tas) == 1 else rng.choice(tas[1:])
    special = "" if rng.random() < 0.4 else rng.choice(theme["special_projects"])
    return scen[:3], task, groups[:3], special


def _indicators(rng, theme, ctx):
    chosen = [theme["indicators"][0]] + _pick_some(rng, theme["indicators"][1:], 1, 3)
    out = []
    for name, key, unit in chosen[:4]:
        v = ctx[key]
        base = "" if rng.random() < 0.25 else str(max(0, int(v * rng.uniform(0.15, 0.7))))
        out.append({"name": name, "value": str(v), "unit": unit, "baseline": base})
    return out


PREREQ_TAILS = ["", "", "{cityfull}的经验是先易后难、逐步铺开。", "{city}在起步阶段用了约{pilot_months}个月理顺机制。",
                "具备条件的地区可参照{city}先在{pilot_sites}个{unit}开展试点。"]
BG_LINKS = ["", "", "此外，", "同时，", "另一方面，"]
OUT_LINKS = ["", "", "同时，", "此外，", "与此同时，"]
LESSON_LINKS = ["", "", "实践证明，", "我们体会到，", "从实践看，"]


def _linked(rng, sentences, links, ctx, skip_first=True):
    out = []
    for i, s in enumerate(sentences):
        text = _fill(s, ctx)
        plain = not text.startswith(("在", "与此同时")) and "经验" not in text[:20] and "实践" not in text[:20]
        if (i > 0 or not skip_first) and plain:
            text = rng.choice(links) + text
        out.append(text)
    return "".join(out)


def _section_texts(rng, theme, ctx):
    bg = [rng.choice(C.POLICY_OPENINGS)] + _pick_some(rng, theme["background"], 2, 3)
    bg.append(rng.choice(LAUNCH))
    pool = list(theme["approach"])
    order = sorted(rng.sample(range(len(pool)), len(pool)), key=lambda i: rng.random())
    k = rng.randint(3, 5)
    chosen = sorted(order[:k])
    filled = {i: _fill(pool[i], ctx) for i in order}
    while sum(len(filled[i]) + 2 for i in chosen) < 310 and len(chosen) < min(len(pool), 5):
        chosen = sorted(order[:len(chosen) + 1])
    while sum(len(filled[i]) + 2 for i in chosen) > 880 and len(chosen) > 3:
        chosen = chosen[:-1]
    approach = "".join(NUMERALS[j] + "是" + filled[i] for j, i in enumerate(chosen))
    outcomes = _pick_some(rng, theme["outcomes"], 2, 3)
    if len("".join(outcomes)) < 150:
        outcomes = list(theme["outcomes"])
    outcomes.append(rng.choice(HONOURS))
    lessons = _pick_some(rng, theme["lessons"], 2, 2) + [rng.choice(C.COMMON_LESSONS)]
    repl = [rng.choice(theme["prereq"]) + rng.choice(PREREQ_TAILS), rng.choice(COST_LINES), rng.choice(PERIOD_LINES),
            rng.choice(C.REPLICABILITY_STEPS)]
    return {
        "background": _fill(bg[0], ctx) + _linked(rng, bg[1:-1], BG_LINKS, ctx) + _fill(bg[-1], ctx),
        "approach": approach,
        "outcomes": _linked(rng, outcomes, OUT_LINKS, ctx),
        "lessons": _linked(rng, lessons, LESSON_LINKS, ctx, skip_first=False),
        "replicability": "".join(_fill(s, ctx) for s in repl),
    }


def _title(rng, theme, ctx, used):
    for attempt in range(40):
        ctx["project"] = rng.choice(theme["projects"])
        head = _fill(rng.choice(theme["headlines"]), ctx)
        if attempt < 20:
            title = f"{ctx['city']}“{ctx['project']}”：{head}"
        else:
            title = f"{ctx['city']}{ctx['town']}“{ctx['project']}”：{head}"
        if len(title) <= 60 and title not in used:
            return title
    n = 2
    while f"{title[:54]}（第{n}期）" in used:
        n += 1
    return f"{title[:54]}（第{n}期）"


def make_case(rng, theme, prov, used_titles):
    region_info = _region(rng, prov)
    start, end = _dates(rng)
    ctx = _build_ctx(rng, theme, region_info, start, end)
    otype, org = _org(rng, theme, ctx)
    ctx["org"] = org
    title = _title(rng, theme, ctx, used_titles)
    used_titles.add(title)
    scen, task, groups, special = _codes(rng, theme)
    summary = _fill(rng.choice(theme["summary"]), ctx)
    if len(summary) < 90:
        summary += _fill("项目自{start_cn}启动以来，{focus}，致力于{goal}。", ctx)
    name, phone, email = _contact(rng)
    case = {
        "title": title, "summary": summary[:300], "region": region_info[0],
        "organisation": org, "organisation_type": otype,
        "contact_name": name, "contact_phone": phone, "contact_email": email,
        "period_start": start.isoformat(), "period_end": end.isoformat(),
        "scenarios": scen, "task_area": task, "key_groups": groups, "special_project": special,
    }
    case.update(_section_texts(rng, theme, ctx))
    case["indicators"] = _indicators(rng, theme, ctx)
    case["category_hint"] = theme["code"]
    return case


def generate_cases(themes, n, seed, provinces):
    if not provinces:
        raise ValueError("at least one province is required")
    rng = random.Random(seed)
    schedule = _province_schedule(rng, provinces, n)
    used = set()
    cases = []
    order = []
    for i in range(n):
        if not order:
            order = list(range(len(themes)))
            rng.shuffle(order)
        theme = themes[order.pop()]
        cases.append(make_case(rng, theme, provinces[schedule[i]], used))
    return cases
