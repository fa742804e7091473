"""The synonym dictionary in Elasticsearch: a managed synonym set behind a search-time
`synonym_graph` analyzer, so an edit takes effect without a reindex.

The set (`SEARCH_ES_SYNONYM_SET`, default `casebook-synonyms`) holds the same rules as the database backend's thesaurus
(`search.synonyms`, Solr format). The text fields are indexed as before; only their
`search_analyzer` adds the `synonym_graph` filter, marked `updateable`: replacing the set
(`PUT _synonyms/<set>`, Elasticsearch 8.10+) reloads the analyzers of every index that uses it.
The set is written before each new index is created (it must exist then) and after every edit in
the admin (docs/search.md, "Synonyms").
"""

from __future__ import annotations

import logging

from django.db import transaction
from elasticsearch.dsl import analyzer, token_filter

from . import conf
from .synonyms import Rule, stored_rules

logger = logging.getLogger(__name__)
FILTER_NAME = "casebook_synonyms"
ANALYZER_NAME = "casebook_search"
# The tokenizer and filters before the synonyms, per SEARCH_ES_ANALYZER: the same as the
# analyzer the text was indexed with at search time (cjk: the built-in analyzer's own chain).
CHAINS = {
    "cjk": ("standard", ["cjk_width", "lowercase", "cjk_bigram"]),
    "smartcn": ("smartcn_tokenizer", ["lowercase"]),
    "ik_max_word": ("ik_smart", ["lowercase"]),
}


def set_name() -> str:
    return conf.synonym_set()


def search_analyzer(analyzer_name: str):
    """The search-time analyzer: the configured Chinese analysis, then the synonym set."""
    tokenizer, filters = CHAINS[analyzer_name]
    synonyms = token_filter(FILTER_NAME, type="synonym_graph", synonyms_set=set_name(), updateable=True)
    return analyzer(f"{ANALYZER_NAME}_{analyzer_name}", tokenizer=tokenizer, filter=[*filters, synonyms])


def set_body(rules: list[Rule]) -> list[dict]:
    """The rules as a synonym set's rules (one id per rule, in the dictionary's order)."""
    return [{"id": f"r{i}", "synonyms": rule.solr()} for i, rule in enumerate(rules, 1)]


def put_set(es) -> None:
    """Write the dictionary's rules as the synonym set (created or replaced); indexes that
    use it reload their search analyzers."""
    es.synonyms.put_synonym(id=set_name(), synonyms_set=set_body(stored_rules()))


def publish_on_commit() -> None:
    """After an edit commits: the set replaced on the cluster, when one is configured. A
    failure is logged; the next index build writes the set again."""
    if conf.backend_name() != "elasticsearch":
        return

    def publish() -> None:
        # In the function: the Elasticsearch backend reaches this module through es_index (a cycle).
        from .backends.elasticsearch import ElasticsearchBackend

        try:
            put_set(ElasticsearchBackend().es)
        except Exception:  # the admin edit is saved; the cluster catches up at the next build
            logger.exception("search: could not update the Elasticsearch synonym set")

    transaction.on_commit(publish)
