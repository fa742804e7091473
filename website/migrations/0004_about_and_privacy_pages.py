"""Create the about page (/about/) and the privacy notice (/privacy/) under the home page.

Editors change their text in the Wagtail admin afterwards; an existing page with the same
slug is left alone, so the migration is safe to run on any database.
"""

from django.db import migrations

ABOUT = {
    "title": "关于本站",
    "slug": "about",
    "intro": "<p>典型案例库汇集各地提升全民数字素养与技能的试点示范经验，供各地区、各行业学习借鉴、复制推广。</p>",
    "body": (
        "<h2>建设依据</h2>"
        "<p>《提升全民数字素养与技能行动纲要》提出，组织开展全民数字素养与技能提升试点示范工作，"
        "支持有条件的地区和行业先行先试，形成一批可复制可推广的典型案例。本站是案例征集、评审、公示和发布的公开窗口。</p>"
        "<h2>案例从哪里来</h2>"
        "<ol><li>试点地区和单位在征集活动中在线申报；</li>"
        "<li>省级推荐单位按名额择优推荐；</li>"
        "<li>组织方形式审查后，由评审专家按评分标准评审；</li>"
        "<li>拟入选案例向社会公示，接受监督；</li>"
        "<li>公示无异议的案例正式发布，收入案例库。</li></ol>"
        "<h2>如何使用</h2>"
        "<p>在“案例库”中可按省份、应用场景、主要任务、重点群体、入选等级和年度筛选，也可输入关键词检索。"
        "各地借鉴案例后，申报单位和推荐单位可登录报告借鉴推广情况。</p>"
        "<h2>无障碍与适老化</h2>"
        "<p>本站按照 WCAG 2.1 AA 级和 GB/T 37668 的要求建设：每页顶部可切换“大字”和“高对比”显示，"
        "设置会被记住；全部功能可以只用键盘操作；页面没有弹窗和自动播放的音视频。"
        "如在使用中遇到困难，欢迎告诉我们。</p>"
    ),
}

PRIVACY = {
    "title": "隐私政策",
    "slug": "privacy",
    "intro": "<p>本说明介绍本站收集哪些个人信息、为什么收集、谁能看到以及保存多久。</p>",
    "body": (
        "<h2>浏览和检索</h2>"
        "<p>浏览和检索案例不需要登录，本站不要求您提供任何个人信息，也不使用第三方统计、广告或社交插件。"
        "本站只使用两个记住显示设置的 Cookie（“大字”和“高对比”），不含任何个人信息。</p>"
        "<h2>对公示案例提出异议</h2>"
        "<p>按照公示要求，异议须实名提出。我们收集您的姓名、联系电话、电子邮箱、异议理由和您自愿提供的证明材料，"
        "仅用于核实异议、必要时与您联系，并通过电子邮件告知处理结果。"
        "这些信息只有组织方的工作人员可以查看，不会公开，也不会提供给被异议的申报单位。</p>"
        "<h2>申报和管理账户</h2>"
        "<p>申报单位、推荐单位、组织方和评审专家的账户信息和申报材料中的联系人信息只用于案例征集和评审工作，"
        "联系人信息不在公开页面、开放数据和案例汇编中出现。</p>"
        "<h2>您的权利</h2>"
        "<p>您可以通过异议受理编号向组织方查询、更正或要求删除您的个人信息。</p>"
    ),
}


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("website.HomePage")
    Page = apps.get_model("wagtailcore.Page")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    for model_name, content in (("standardpage", ABOUT), ("privacypage", PRIVACY)):
        if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=content["slug"]).exists():
            continue
        model = apps.get_model("website", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="website", model=model_name)
        taken = set(Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).values_list("path", flat=True))
        number = 1
        while f"{home.path}{number:04d}" in taken:
            number += 1
        model.objects.create(
            title=content["title"],
            draft_title=content["title"],
            slug=content["slug"],
            intro=content["intro"],
            body=content["body"],
            content_type=content_type,
            path=f"{home.path}{number:04d}",
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{content['slug']}/",
            locale_id=home.locale_id,
            live=True,
            show_in_menus=True,
        )
        Page.objects.filter(pk=home.pk).update(
            numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        )


def remove_pages(apps, schema_editor):
    HomePage = apps.get_model("website.HomePage")
    Page = apps.get_model("wagtailcore.Page")
    for model_name in ("standardpage", "privacypage"):
        model = apps.get_model("website", model_name)
        model.objects.filter(slug__in=[ABOUT["slug"], PRIVACY["slug"]], depth=3).delete()
    for home in HomePage.objects.all():
        Page.objects.filter(pk=home.pk).update(
            numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_standard_and_privacy_pages"),
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
