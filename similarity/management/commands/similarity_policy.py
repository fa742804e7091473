"""Add a policy text to the 查重 reference corpus (docs/similarity.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from similarity.corpus import add_policy
from similarity.models import PolicyText


class Command(BaseCommand):
    help = "把一份政策文本（UTF-8 纯文本）加入查重的政策文本库；同一标识再次加入时替换原文。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="UTF-8 text file (no file: list the corpus)")
        parser.add_argument("--title", help="标题，如《提升全民数字素养与技能行动纲要》（默认：文件第一行）")
        parser.add_argument("--slug", help="标识（默认：由文件名生成）")

    def handle(self, *args, file=None, title=None, slug=None, **options):
        if not file:
            for policy in PolicyText.objects.order_by("slug"):
                self.stdout.write(f"{policy.slug}\t{len(policy.text)} 字\t{policy.title}")
            return
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"文件不是 UTF-8 编码的纯文本：{file}（请另存为 UTF-8 后再试）") from None
        if not title:
            title, _, text = text.partition("\n")
            title, text = title.strip(), text.strip()
        slug = slug or slugify(path.stem) or None
        if not slug:
            raise CommandError("请用 --slug 指定一个由字母、数字和连字符组成的标识。")
        if not text or not title:
            raise CommandError("文件没有正文，或缺少标题（--title 或文件第一行）。")
        policy, created = add_policy(slug=slug, title=title[:200], text=text)
        verb = "已加入" if created else "已替换"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{policy.title}（{policy.slug}，{len(text)} 字）。"
                                             "新的查重会使用它；已有报告可由组织方“重新查重”。"))
