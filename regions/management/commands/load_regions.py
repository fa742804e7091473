from django.core.management.base import BaseCommand

from regions.loading import load_regions
from regions.models import Region


class Command(BaseCommand):
    help = "Load or refresh the shipped GB/T 2260 regions (provinces and prefectures; --counties adds counties)."

    def add_arguments(self, parser):
        parser.add_argument("--counties", action="store_true", help="also load the 2,844 county-level divisions")

    def handle(self, *args, counties: bool, **options):
        n = load_regions(Region, counties=counties)
        self.stdout.write(self.style.SUCCESS(f"已载入 {n} 个行政区划。"))
