"""`manage.py search_conformance`: prove the configured Elasticsearch cluster with the site's own
mapping, sample and query shapes (search/conformance.py, docs/search.md "Proving a cluster")."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from search import conf
from search.backends import BackendError, BackendUnavailable, es_index
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.es_bulk import index_actions, version_stamp, write
from search.backends.es_client import client, maintenance, problems, redacted, translated_errors
from search.conformance import ConformanceReport, run_checks, sample_texts, summary_ms

SHAPES = {"browse": "浏览", "filters": "筛选", "text": "文本检索", "facets": "分面计数", "suggest": "输入提示",
          "related": "相关案例"}


class Command(BaseCommand):
    help = ("用临时索引（生产映射）和固定样例验证所配置的 Elasticsearch 集群：检索、高亮、分面、"
            "输入提示、相关案例，与数据库后端的规则比对并测量延迟；结束后按确切名称删除临时索引。")

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="保留临时索引以便排查（默认删除）。")
        parser.add_argument("--repeat", type=int, default=3, help="每个文本查询重复次数（测延迟）。")

    def handle(self, *args, keep: bool, repeat: int, **options):
        if found := problems():
            raise CommandError("Elasticsearch 设置有误（settings are wrong）：\n  " + "\n  ".join(found))
        if not (conf.elasticsearch_url() or conf.cloud_id()):
            raise CommandError("未配置 ELASTICSEARCH_URL 或 SEARCH_ES_CLOUD_ID（no cluster configured）。")
        report = self.run(keep=keep, repeat=repeat)
        self.print(report)
        if not report.ok:
            raise CommandError("集群未通过一致性检查（the cluster did not conform）。")

    def run(self, *, keep: bool, repeat: int) -> ConformanceReport:
        es = client()
        analyzer = conf.analyzer()
        stamp = datetime.now().strftime("%Y%m%dt%H%M%S%f")
        alias = f"{conf.index_alias()}-conformance-{stamp}"
        index = f"{alias}-0"
        report = ConformanceReport(index=index)
        created = False
        try:
            with translated_errors():
                info = es.info().body
            report.cluster = (f"{info.get('cluster_name')} · Elasticsearch {info.get('version', {}).get('number')}"
                              f" · {redacted(conf.elasticsearch_url()) or 'Elastic Cloud'}")
            es_index.create(es, index, analyzer)
            created = True
            texts = sample_texts()
            outcome = write(es, index_actions(texts, index, version_stamp(), analyzer), through_alias=False)
            if outcome.retry or outcome.parked:
                raise BackendError(f"sample refused: {outcome.retry | outcome.parked}")
            with translated_errors():
                maintenance(es).indices.refresh(index=index)
                maintenance(es).indices.update_aliases(actions=[{"add": {"index": index, "alias": alias}}])
            es_index.mark_complete(es, index, analyzer, outcome.done)
            es_index.forget()
            backend = ElasticsearchBackend(es, alias=alias, analyzer_name=analyzer)
            report.checks = run_checks(backend, texts, repeat=repeat)
        except (BackendUnavailable, BackendError) as exc:
            report.error = str(exc)
        finally:
            if created and not keep:
                try:
                    es_index.drop(es, [index])  # its alias goes with it; exact name, never a wildcard
                    report.cleaned = True
                except (BackendUnavailable, BackendError) as exc:
                    report.error = report.error or f"cleanup: {exc}"
            elif not created or keep:
                report.cleaned = not created or keep
        return report

    def print(self, report: ConformanceReport) -> None:
        out = self.stdout
        out.write("Elasticsearch 一致性检查 / conformance report")
        out.write(f"集群 cluster：{report.cluster or '—'}")
        out.write(f"临时索引 temporary index：{report.index}")
        if report.error:
            out.write(self.style.ERROR(f"错误 error：{report.error}"))
        for check in report.checks:
            mark = "✓" if check.ok else "✗"
            ms = f"{max(check.ms):.0f} ms" if check.ms else "—"
            line = f"  {mark} {SHAPES.get(check.shape, check.shape)} {check.shape} · {check.label} · {ms} · {check.detail}"
            out.write(line if check.ok else self.style.ERROR(line))
        median, worst = summary_ms(report.checks)
        passed = sum(c.ok for c in report.checks)
        out.write(f"延迟 latency：中位数 median {median:.0f} ms，最大 max {worst:.0f} ms")
        out.write(f"通过 passed：{passed}/{len(report.checks)}")
        out.write(f"临时索引已删除 temporary index deleted：{'是 yes' if report.cleaned else '否 no'}")
        verdict = "通过 PASS" if report.ok else "未通过 FAIL"
        out.write(self.style.SUCCESS(verdict) if report.ok else self.style.ERROR(verdict))
