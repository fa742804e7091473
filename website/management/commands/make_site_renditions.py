"""Create the public site's image renditions for every published case (e.g. after an upgrade)."""

from django.core.management.base import BaseCommand

from cases.models import CaseImage
from website.renditions import make_for_images


class Command(BaseCommand):
    help = "为所有已发布案例的图片生成公众网站所需的各尺寸版本。"

    def handle(self, *args, **options):
        images = CaseImage.objects.filter(case__status="published").select_related("image").order_by("pk")
        made = make_for_images(images.iterator(chunk_size=200))
        self.stdout.write(f"已处理 {made} 张图片。")
