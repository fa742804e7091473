"""`manage.py import_cases`: all-or-nothing import of past selected cases as published."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cases.models import Case, CaseTransition
from cases.states import CampaignStatus, CaseStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    return factories.CampaignFactory(slug="2025-import", year=2025, status=CampaignStatus.FINISHED)


@pytest.fixture
def staff():
    return factories.secretariat(username="sec-import")


def good_row(n: int = 1, **overrides) -> dict:
    row = {
        "title": f"“银龄数字课堂”社区助老智能手机培训（第{n}期）",
        "summary": "依托社区学校开展智能手机培训，帮助老年人跨越数字鸿沟。",
        "region": "440100",
        "organisation": "越秀区委网信办",
        "organisation_type": "government",
        "contact_name": "王芳",
        "contact_phone": "13800138000",
        "contact_email": "wangfang@example.cn",
        "period_start": "2024-03-01",
        "period_end": "2025-06-30",
        "scenarios": ["life", "learning"],
        "task_area": "life",
        "key_groups": ["elderly"],
        "special_project": "accessibility",
        "background": "辖区老年人口占比高，智能手机使用困难突出。",
        "approach": "一是建立银龄数字课堂；二是组织青年志愿者结对帮扶；三是编写图文教材。",
        "outcomes": "累计培训老年人一万二千人次。",
        "lessons": "以需求为导向，线上线下结合。",
        "replicability": "前提：有社区学校和志愿者队伍；成本：每期约两万元；周期：三个月。",
        "indicators": [{"name": "培训人次", "value": "12000", "unit": "人次", "baseline": "3000"}],
        "campaign": "2025-import",
        "category": "inclusion",
        "tier": "exemplary",
        "published_at": "2025-12-20",
    }
    row.update(overrides)
    return row


def write_jsonl(path, rows: list[dict]):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def cell(value):
    """Lists as a workbook holds them: codes as text, indicators as JSON text."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if value and isinstance(value[0], dict) else ",".join(value)
    return value


def write_xlsx(path, rows: list[dict]):
    wb = Workbook()
    ws = wb.active
    headers = list(rows[0])
    ws.append(headers)
    for row in rows:
        ws.append([cell(row.get(h)) for h in headers])
    wb.save(path)
    return path


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_jsonl_imports_published_cases_with_history(tmp_path, finished, staff):
    path = write_jsonl(tmp_path / "results-2025.jsonl", [good_row(1), good_row(2, tier="excellent", region="330100")])

    out, _ = run(path)

    assert "已导入 2 个案例" in out
    cases = list(Case.objects.order_by("pk"))
    assert [c.status for c in cases] == [CaseStatus.PUBLISHED] * 2
    assert [c.tier.code for c in cases] == ["exemplary", "excellent"]
    assert cases[1].province_id == "330000"
    assert cases[0].published_at == datetime.fromisoformat("2025-12-20T00:00:00+08:00")
    assert cases[0].indicators.get().value == 12000
    record = CaseTransition.objects.get(case=cases[0])
    assert record.transition == "import_published"
    assert record.to_state == CaseStatus.PUBLISHED
    assert "导入" in record.reason and "results-2025.jsonl" in record.reason
    assert record.by == staff


def test_good_xlsx_imports_with_text_lists_and_compact_indicators(tmp_path, finished, staff):
    rows = [
        good_row(
            1, scenarios="life、learning", key_groups="elderly, disabled", indicators="培训人次:12000:人次:3000;覆盖社区:35:个",
            period_start=date(2024, 3, 1), published_at=datetime(2025, 12, 20, 10, 30), source="2025年度遴选结果",
        ),
        good_row(2, scenarios="work", key_groups="workers", contact_phone=13800138001,
                 indicators='[{"name": "培训人次", "value": 500}]'),
    ]
    path = write_xlsx(tmp_path / "results.xlsx", rows)

    run(path)

    first, second = Case.objects.order_by("pk")
    assert first.scenarios == ["life", "learning"]
    assert first.key_groups == ["elderly", "disabled"]
    assert [(i.name, i.value, i.unit, i.baseline) for i in first.indicators.all()] == [
        ("培训人次", 12000, "人次", 3000), ("覆盖社区", 35, "个", None)
    ]
    assert first.published_at == datetime.fromisoformat("2025-12-20T10:30:00+08:00")
    assert first.history.get().reason == "导入：2025年度遴选结果"
    assert second.contact_phone == "13800138001"
    assert second.indicators.get().value == 500


def test_one_bad_row_imports_nothing_and_names_row_and_field(tmp_path, finished, staff):
    path = write_jsonl(tmp_path / "bad.jsonl", [good_row(1), good_row(2), good_row(3, region="999999")])

    with pytest.raises(CommandError) as exc:
        run(path)

    assert "第 3 行 region：未知的地区代码 999999" in str(exc.value)
    assert Case.objects.count() == 0
    assert CaseTransition.objects.count() == 0


def test_xlsx_problems_use_spreadsheet_row_numbers(tmp_path, finished, staff):
    rows = [good_row(1), good_row(2, scenarios="life, flying", indicators="培训人次:很多:人次")]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)

    with pytest.raises(CommandError) as exc:
        run(path)

    message = str(exc.value)
    assert "第 3 行 scenarios：未知的应用场景代码 flying" in message
    assert "第 3 行 indicators：第 1 项：数值必须是数字。" in message
    assert "第 2 行" not in message
    assert Case.objects.count() == 0


def test_every_problem_is_reported(tmp_path, finished, staff):
    rows = [
        good_row(1, title="标" * 61, contact_email="not-an-email", period_end="2023-01-01", tier="gold"),
        good_row(2, category="unknown", published_at="2099-01-01", task_area="", status="published"),
        good_row(3, title=good_row(4)["title"]),
        good_row(4),
    ]
    path = write_jsonl(tmp_path / "many.jsonl", rows)

    with pytest.raises(CommandError) as exc:
        run(path)

    message = str(exc.value)
    for expected in [
        "第 1 行 title：不能超过 60 字",
        "第 1 行 contact_email：",
        "第 1 行 period_end：结束日期不能早于开始日期。",
        "第 1 行 tier：活动",
        "第 2 行 category：",
        "第 2 行 published_at：发布时间不能晚于当前时间。",
        "第 2 行 task_area：必填。",
        "第 2 行 status：未知的字段名。",
        "第 4 行 title：与第 3 行重复",
    ]:
        assert expected in message
    assert Case.objects.count() == 0


def test_duplicate_of_an_existing_case_is_refused(tmp_path, finished, staff):
    write_jsonl(tmp_path / "a.jsonl", [good_row(1)])
    run(tmp_path / "a.jsonl")

    with pytest.raises(CommandError) as exc:
        run(write_jsonl(tmp_path / "b.jsonl", [good_row(1)]))

    assert "第 1 行 title：" in str(exc.value) and "已有同名案例" in str(exc.value)
    assert Case.objects.count() == 1


def test_campaign_not_finished_is_refused(tmp_path, staff):
    factories.CampaignFactory(slug="2026-open", status=CampaignStatus.OPEN)
    path = write_jsonl(tmp_path / "open.jsonl", [good_row(1, campaign="2026-open")])

    with pytest.raises(CommandError) as exc:
        run(path)

    assert "第 1 行 campaign：" in str(exc.value) and "尚未结束" in str(exc.value)
    assert Case.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, finished, staff):
    path = write_jsonl(tmp_path / "ok.jsonl", [good_row(1), good_row(2)])

    out, _ = run(path, "--dry-run")

    assert "2 个案例可以导入" in out
    assert Case.objects.count() == 0
    assert CaseTransition.objects.count() == 0


def test_acting_user_must_be_staff(tmp_path, finished):
    path = write_jsonl(tmp_path / "ok.jsonl", [good_row(1)])
    with pytest.raises(CommandError, match="没有可用的组织方或管理员账户"):
        run(path)
    factories.submitter(username="sub-import")
    with pytest.raises(CommandError, match="不是组织方或系统管理员"):
        run(path, "--by", "sub-import")
    factories.secretariat(username="sec-2")
    run(path, "--by", "sec-2")
    assert Case.objects.get().history.get().by.username == "sec-2"


def test_unknown_and_missing_columns_in_xlsx_header(tmp_path, finished, staff):
    row = good_row(1, colour="red")
    del row["summary"]
    path = write_xlsx(tmp_path / "cols.xlsx", [row])

    with pytest.raises(CommandError) as exc:
        run(path)

    assert "第 1 行 colour：未知的列名。" in str(exc.value)
    assert "第 1 行 summary：缺少必填列。" in str(exc.value)


def test_unreadable_files(tmp_path, staff):
    (tmp_path / "cases.csv").write_text("title\n", encoding="utf-8")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        run(tmp_path / "cases.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="无法读取 Excel 文件"):
        run(tmp_path / "broken.xlsx")
    (tmp_path / "broken.jsonl").write_text('{"title": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行：不是有效的 JSON"):
        run(tmp_path / "broken.jsonl")


def test_xlsx_accepts_chinese_headers_and_labels(tmp_path, finished, staff):
    row = good_row(1, scenarios="数字生活、数字学习", key_groups="老年人", organisation_type="党政机关", task_area="提升高品质数字生活水平")
    aliases = {"title": "案例名称", "region": "所属地区", "scenarios": "应用场景", "tier": "入选等级", "published_at": "发布时间"}
    path = write_xlsx(tmp_path / "zh.xlsx", [{aliases.get(k, k): v for k, v in row.items()}])

    run(path)

    case = Case.objects.get()
    assert case.title == row["title"] and case.region_id == "440100"
    assert case.scenarios == ["life", "learning"] and case.key_groups == ["elderly"]
    assert case.organisation_type == "government" and case.task_area == "life"
