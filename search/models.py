"""The database backend's index, and the queue of Elasticsearch work still to do.

The database index is always maintained, even when Elasticsearch answers: it is the fallback
when the cluster is down. One `CaseIndex` row per published case, its terms in `IndexTerm`
(a posting list: one row per term and case, with its count per field) and its filter values
in `CaseFacet` (one row per dimension and value, so multi-valued fields count with GROUP BY).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseIndex(models.Model):
    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField(null=True, db_index=True)
    # Field lengths in terms, for BM25's length normalisation.
    len_title = models.PositiveIntegerField(default=0)
    len_summary = models.PositiveIntegerField(default=0)
    len_about = models.PositiveIntegerField(default=0)
    len_body = models.PositiveIntegerField(default=0)
    # A hash of the indexed content: `search_check` finds rows that are out of date.
    digest = models.CharField(max_length=64)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")

    def __str__(self) -> str:
        return self.title


class IndexTerm(models.Model):
    """One term of one case. Written only by the database backend, right after its case's
    `CaseIndex` row and removed with it, ~1,000 rows a case: so no surrogate key (the key is
    (case, term), which also serves removing a case's rows) and no foreign-key constraint in
    the database (its check per row cost as much as the row; `search_check` verifies the index
    and Django still cascades a deleted `CaseIndex`). On PostgreSQL `term` compares bytewise
    (collation "C", migration 0002): its index builds ~35 % faster, and nothing sorts terms
    for people to read."""

    pk = models.CompositePrimaryKey("case", "term")
    case = models.ForeignKey(CaseIndex, on_delete=models.CASCADE, related_name="terms", db_constraint=False, db_index=False)
    term = models.CharField(max_length=32)
    title = models.PositiveSmallIntegerField(default=0)
    summary = models.PositiveSmallIntegerField(default=0)
    about = models.PositiveSmallIntegerField(default=0)
    body = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["term", "case"], name="search_term_case")]

    def __str__(self) -> str:
        return self.term


class CaseFacet(models.Model):
    case = models.ForeignKey(CaseIndex, on_delete=models.CASCADE, related_name="facets")
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["dimension", "value", "case"], name="search_facet_value")]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}"


class PendingIndexOp(models.Model):
    """Elasticsearch work not done yet (or that failed): one row per case, retried later.

    The row names the case only; whoever retries reads the case's current state and indexes
    or removes it accordingly, so repeated or reordered attempts cannot go wrong.
    """

    case_id = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped whenever the case changes again: a retry only clears work it has seen.
    requested_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set when Elasticsearch refused the document for good (a 4xx such as a mapping error):
    # the row is kept with its reason for the secretariat's report and skipped by the queue,
    # so one bad case never blocks the others. Syncing the case again (an edit) un-parks it.
    parked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("待同步的检索操作")
        verbose_name_plural = _("待同步的检索操作")

    def __str__(self) -> str:
        return f"case {self.case_id}"


class SynonymGroup(models.Model):
    """One rule of the search's synonym dictionary (`search.synonyms`): an equivalence group
    (`terms` only) or a one-way expansion (`terms` also find `targets`). Shipped from
    `search/data/synonyms.txt`, edited by the secretariat; every change is audited."""

    terms = models.CharField(
        _("检索词"), max_length=400,
        help_text=_("用逗号或顿号分隔，如“老年人、老人、长者”。只填这一栏：组内的词互为同义词，检索任一词也查找其他词。"),
    )
    targets = models.CharField(
        _("扩展为（单向）"), max_length=400, blank=True,
        help_text=_("填写后为单向扩展：检索上面的词时也查找这里的词，反之不然（如“菜农、果农”扩展为“农民”）。"),
    )
    note = models.CharField(
        _("依据"), max_length=200, blank=True,
        help_text=_("这组词在政策文件或案例中的出处，如“政策文件：老年人”。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词词典")

    def __str__(self) -> str:
        return f"{self.terms} => {self.targets}" if self.targets else self.terms
