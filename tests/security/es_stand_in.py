"""A stand-in for an Elasticsearch cluster, started by the tests: the real `elasticsearch`
client talks HTTP (or HTTPS) to it, and it records every request (headers and bodies).

It keeps indexes (mappings with `_meta`, documents with external versions), aliases, and
answers the calls the adapter makes (search/backends/es_*.py): create (refusing an existing
name), `_mapping`, `_aliases`, `_alias`, delete (refusing wildcards, as a default cluster's
`action.destructive_requires_name` does), `_bulk` (external versions: 409 for a stale one;
`require_alias`: 404 instead of auto-creating; otherwise auto-creates like a real cluster),
`_refresh`, `_doc`, a scroll over everything, and a search that evaluates the query DSL the
adapter sends (es_queries.py: bool/minimum_should_match, named queries and `matched_queries`,
sort, aggregations; text is matched as substrings, not analysed, so synonyms are for the live
suite). Faults can be injected per request (`fail`) or per bulk item (`refuse`).
Elasticsearch is an external system, so a stand-in is acceptable where a real cluster is not.
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import es_queries

DIMENSIONS = ("province", "scenario", "task", "group", "campaign", "tier", "year")


def _error(kind: str, reason: str, status: int) -> tuple[int, dict]:
    return status, {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason},
                    "status": status}


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive without 40 ms delayed-ACK stalls
    wbufsize = 1 << 16  # headers and body leave in one write (flushed per request)

    def log_message(self, *args):  # keep the test output clean
        pass

    # --- plumbing -----------------------------------------------------------------------

    def _send(self, code: int, body=None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        if self.server.state.get("product_header", True):
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), {k: v[-1] for k, v in parse_qs(parts.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with state["lock"]:
            peer = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
            state["requests"].append({"method": self.command, "path": path, "query": query, "peer": peer,
                                      "headers": {k.lower(): v for k, v in self.headers.items()}, "body": raw})
            for fault in state["faults"]:
                if fault["times"] and fault["method"] in (self.command, "*") and re.search(fault["path"], path):
                    fault["times"] -= 1
                    return self._send(fault["status"], fault["body"])
        with state["lock"]:
            rules = [] if state.get("ignore_synonyms") else [r for rules in state.get("synonyms", {}).values()
                                                                for r in rules]
            token = es_queries.SYNONYMS.set(es_queries.synonym_map(rules))
            try:
                code, body = Cluster(state).answer(self.command, path, query, raw)
            finally:
                es_queries.SYNONYMS.reset(token)
        self._send(code, body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


class Cluster:
    """The cluster's behaviour over `state` (called with the state's lock held)."""

    def __init__(self, state: dict):
        self.state = state
        self.indexes: dict = state["indexes"]
        self.aliases: dict = state["aliases"]
        self.synonym_sets: dict = state.setdefault("synonyms", {})

    def resolve(self, name: str) -> list[str]:
        names = []
        for part in name.split(","):
            if "*" in part:
                names += [i for i in self.indexes if fnmatch.fnmatch(i, part)]
            elif part in self.aliases:
                names += sorted(self.aliases[part])
            elif part in self.indexes:
                names.append(part)
        return names

    def answer(self, method: str, path: str, query: dict, raw: bytes):
        body = json.loads(raw) if raw and not path.endswith("_bulk") else None
        segs = [s for s in path.split("/") if s]
        if not segs:
            return 200, {"name": "stand-in", "cluster_name": "es-stand-in", "tagline": "You Know, for Search",
                         "version": {"number": "8.19.3 (stand-in: cjk bigrams, whole-term synonyms)"}}
        if path in ("/_bulk",) or (len(segs) == 2 and segs[1] == "_bulk"):
            return self.bulk(raw, query, segs[0] if len(segs) == 2 else None)
        if segs[:1] == ["_alias"]:
            return self.get_alias(segs[1], method)
        if segs[:1] == ["_synonyms"] and len(segs) == 2:  # a managed synonym set (search/es_synonyms.py)
            if method == "PUT":
                created = segs[1] not in self.synonym_sets
                self.synonym_sets[segs[1]] = body["synonyms_set"]
                return 200, {"result": "created" if created else "updated", "reload_analyzers_details": {}}
            if segs[1] in self.synonym_sets:
                return 200, {"count": len(self.synonym_sets[segs[1]]), "synonyms_set": self.synonym_sets[segs[1]]}
            return _error("resource_not_found_exception", f"synonym set [{segs[1]}] not found", 404)
        if path == "/_aliases":
            return self.update_aliases(body["actions"])
        if path.startswith("/_search/scroll"):
            return (200, {"succeeded": True, "num_freed": 1}) if method == "DELETE" else \
                (200, {"_scroll_id": "s1", "hits": {"hits": []}, "_shards": {"total": 1, "successful": 1}})
        if len(segs) == 1:
            return self.index(method, segs[0], query, body)
        if segs[1] == "_alias":
            found = self.resolve(segs[0])
            return 200, {i: {"aliases": {a: {} for a, members in self.aliases.items() if i in members}} for i in found}
        if segs[1] == "_mapping":
            return self.mapping(method, segs[0], body)
        if segs[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if segs[1] == "_doc":
            if method in ("PUT", "POST"):
                (name,) = self.resolve(segs[0]) or [segs[0]]
                self.indexes[name]["docs"][segs[2]] = {"_version": 1, "_source": body}
                return 201, {"_index": name, "_id": segs[2], "result": "created"}
            return self.get_doc(segs[0], segs[2])
        if segs[1] == "_search":
            return self.search(segs[0], body or {}, query)
        return 404, {"error": f"{method} {path} is not in the stand-in"}

    def index(self, method: str, name: str, query: dict, body):
        if method == "HEAD":
            return (200 if name in self.indexes or name in self.aliases else 404), None
        if method == "PUT":
            if name in self.indexes or name in self.aliases:
                return _error("resource_already_exists_exception", f"index [{name}] already exists", 400)
            self.indexes[name] = {"mappings": (body or {}).get("mappings", {}), "settings": (body or {}).get("settings", {}),
                                  "docs": {}}
            return 200, {"acknowledged": True, "index": name}
        if method == "DELETE":
            if "*" in name or name == "_all":
                return _error("illegal_argument_exception",
                              "Wildcard expressions or all indices are not allowed", 400)
            for part in name.split(","):
                if part not in self.indexes and query.get("ignore_unavailable") != "true":
                    return _error("index_not_found_exception", f"no such index [{part}]", 404)
                self.indexes.pop(part, None)
                for members in self.aliases.values():
                    members.discard(part)
            return 200, {"acknowledged": True}
        found = self.resolve(name)
        return (200, {i: {"mappings": self.indexes[i]["mappings"], "settings": self.indexes[i]["settings"]}
                      for i in found}) if found else _error("index_not_found_exception", name, 404)

    def get_alias(self, name: str, method: str):
        members = self.aliases.get(name) or set()
        if method == "HEAD":
            return (200 if members else 404), None
        if not members:
            return 404, {"error": f"alias [{name}] missing", "status": 404}
        return 200, {i: {"aliases": {name: {}}} for i in sorted(members)}

    def update_aliases(self, actions: list):
        for action in actions:  # remove_index first, as Elasticsearch does
            if "remove_index" in action:
                self.indexes.pop(action["remove_index"]["index"], None)
        for action in actions:
            (op, args), = action.items()
            if op == "add":
                if args["index"] not in self.indexes:
                    return _error("index_not_found_exception", args["index"], 404)
                self.aliases.setdefault(args["alias"], set()).add(args["index"])
            elif op == "remove":
                members = self.aliases.get(args["alias"], set())
                if args["index"] not in members:
                    return _error("aliases_not_found_exception", args["alias"], 404)
                members.discard(args["index"])
        return 200, {"acknowledged": True}

    def mapping(self, method: str, name: str, body):
        found = self.resolve(name)
        if not found:
            return _error("index_not_found_exception", f"no such index [{name}]", 404)
        if method == "PUT":
            for i in found:
                mappings = self.indexes[i]["mappings"]
                if "_meta" in body:
                    mappings["_meta"] = body["_meta"]
                mappings.setdefault("properties", {}).update(body.get("properties", {}))
            return 200, {"acknowledged": True}
        return 200, {i: {"mappings": self.indexes[i]["mappings"]} for i in found}

    def get_doc(self, name: str, doc_id: str):
        found = self.resolve(name)
        if not found:
            return _error("index_not_found_exception", f"no such index [{name}]", 404)
        for i in found:
            if doc_id in self.indexes[i]["docs"]:
                doc = self.indexes[i]["docs"][doc_id]
                return 200, {"_index": i, "_id": doc_id, "found": True, "_source": doc["_source"]}
        return 404, {"_index": found[0], "_id": doc_id, "found": False}

    def bulk(self, raw: bytes, query: dict, default_index: str | None):
        lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
        items, i = [], 0
        while i < len(lines):
            (op, meta), = lines[i].items()
            source = lines[i + 1] if op != "delete" else None
            i += 1 if op == "delete" else 2
            items.append({op: self.bulk_item(op, meta, source, query, default_index)})
        errors = any(next(iter(item.values()))["status"] >= 300 for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def bulk_item(self, op: str, meta: dict, source, query: dict, default_index: str | None) -> dict:
        target, doc_id = meta.get("_index", default_index), str(meta["_id"])
        version, external = meta.get("version"), meta.get("version_type") == "external"
        self.state["log"].append((op, doc_id))
        refused = self.state["refuse"].get(doc_id)
        if refused and refused[2] > 0:
            status, kind, times = refused
            self.state["refuse"][doc_id] = (status, kind, times - 1)
            return {"_index": target, "_id": doc_id, "status": status, "error": {"type": kind, "reason": "refused"}}
        if target in self.aliases and self.aliases[target]:
            (name,) = sorted(self.aliases[target])
        elif query.get("require_alias") == "true":
            return {"_index": target, "_id": doc_id, "status": 404,
                    "error": {"type": "index_not_found_exception", "reason": f"[{target}] is not an alias"}}
        else:
            name = target
            self.indexes.setdefault(name, {"mappings": {}, "settings": {}, "docs": {}})  # auto-created
        docs = self.indexes[name]["docs"]
        tombstones = self.indexes[name].setdefault("tombstones", {})
        current = docs[doc_id]["_version"] if doc_id in docs else tombstones.get(doc_id)
        if external and current is not None and version <= current:
            return {"_index": name, "_id": doc_id, "status": 409,
                    "error": {"type": "version_conflict_engine_exception", "reason": "version conflict"}}
        if op == "delete":
            existed = docs.pop(doc_id, None)
            tombstones[doc_id] = version
            return {"_index": name, "_id": doc_id, "status": 200 if existed else 404,
                    "result": "deleted" if existed else "not_found"}
        docs[doc_id] = {"_version": version if external else (current or 0) + 1, "_source": source}
        return {"_index": name, "_id": doc_id, "status": 201, "result": "created"}

    def search(self, name: str, body: dict, query: dict):
        found = self.resolve(name)
        if not found:
            return _error("index_not_found_exception", f"no such index [{name}]", 404)
        everything = [(doc_id, doc["_source"]) for i in found for doc_id, doc in sorted(self.indexes[i]["docs"].items())]
        index_of = {doc_id: i for i in found for doc_id in self.indexes[i]["docs"]}
        scored = [(d, es_queries.score(body["query"], d) if "query" in body else 1.0) for d in everything]
        scored = [(d, s) for d, s in scored if s is not None]
        matched = [d for d, _s in scored]
        if "post_filter" in body:
            scored = [(d, s) for d, s in scored if es_queries.score(body["post_filter"], d) is not None]
        scored = es_queries.sort(scored, body.get("sort", []))
        hits = []
        for (doc_id, source), score in scored:
            hit = {"_index": index_of[doc_id], "_id": doc_id, "_score": score, "_source": source}
            if names := es_queries.matched_queries(body, (doc_id, source)):
                hit["matched_queries"] = names
            hits.append(hit)
        tokens = {t for text in _find(body.get("query", {}), "multi_match") for t in es_queries.analyse(text.lower())}
        if tokens and "highlight" in body:
            for hit in hits:
                if marked := _marked(hit["_source"].get("title", ""), tokens):
                    hit["highlight"] = {"title.chars": [marked]}
        answer = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                  "hits": {"total": {"value": len(hits), "relation": "eq"},
                           "max_score": max((h["_score"] for h in hits), default=None),
                           "hits": hits[body.get("from", 0):][: body.get("size", 10)] if "scroll" not in query else hits}}
        if "scroll" in query:
            answer["_scroll_id"] = "s1"
        if body.get("aggs"):
            answer["aggregations"] = es_queries.aggregate(body["aggs"], matched, everything)
        for key, spec in body.get("suggest", {}).items():
            prefix = spec.get("prefix", "")
            options = [{"text": text, "_id": doc_id, "_index": index_of[doc_id]} for (doc_id, source), _s in scored
                       for text in source.get("suggest", {}).get("input", []) if text.startswith(prefix)]
            answer.setdefault("suggest", {})[key] = [{"text": prefix, "offset": 0, "length": len(prefix),
                                                      "options": options[: spec["completion"].get("size", 5)]}]
        return 200, answer


def _find(node, key: str):
    """The query texts of the `multi_match` clauses in a query body."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and key == "multi_match":
                yield v["query"]
            else:
                yield from _find(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _find(v, key)


def _marked(title: str, tokens: set[str]) -> str:
    """The title escaped (the html encoder), one mark per character of each query token (bigram)
    it holds (as the `.chars` subfield's highlight does); "" when it holds none."""
    lower, covered = title.lower(), set()
    for token in tokens:
        start = lower.find(token)
        while token and start >= 0:
            covered.update(range(start, start + len(token)))
            start = lower.find(token, start + 1)
    if not covered:
        return ""
    return "".join(f"<mark>{html.escape(c)}</mark>" if i in covered else html.escape(c) for i, c in enumerate(title))


def start(*, certfile: str | None = None, keyfile: str | None = None,
          client_ca: str | None = None) -> ThreadingHTTPServer:
    """A running stand-in on a free local port (HTTPS with `certfile`; requiring a client
    certificate signed by `client_ca`); `server.state` holds what it received and keeps."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.daemon_threads = True
    if certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.state = {"indexes": {}, "aliases": {}, "log": [], "requests": [], "faults": [], "refuse": {},
                    "lock": threading.RLock()}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fail(server, method: str, path: str, status: int, body, times: int = 1) -> None:
    """The next `times` requests matching `method` and the `path` pattern get this answer."""
    server.state["faults"].append({"method": method, "path": path, "status": status, "body": body, "times": times})


def docs(server, alias: str) -> dict:
    """id → source of the documents behind `alias` (or in the index of that name)."""
    names = sorted(server.state["aliases"].get(alias) or ([alias] if alias in server.state["indexes"] else []))
    return {doc_id: doc["_source"] for name in names for doc_id, doc in server.state["indexes"][name]["docs"].items()}


def stop(server) -> None:
    server.shutdown()
    server.server_close()


@contextmanager
def running(**kwargs) -> Iterator[ThreadingHTTPServer]:
    """A stand-in for the length of a `with` block (a test fixture's)."""
    server = start(**kwargs)
    try:
        yield server
    finally:
        stop(server)
