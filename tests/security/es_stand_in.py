"""A stand-in for an Elasticsearch cluster that is back up (tests/security/test_faults.py).

It speaks just enough of the HTTP API for the real client and adapter (search/backends/
elasticsearch.py) to create the first index behind its alias, bulk-index and bulk-delete, and
list what it holds through a one-page scroll; it records every bulk operation. Elasticsearch is
an external system, so a stand-in is acceptable where a real cluster is not available.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn(BaseHTTPRequestHandler):
    """Index creation, aliases, _bulk, and a one-page scroll over what it holds."""

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, code: int, body=None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_HEAD(self):
        state, path = self.server.state, self.path.split("?")[0]
        if path.startswith("/_alias/"):
            self._send(200 if state["aliases"] else 404)
        else:
            self._send(200 if path.strip("/") in state["indexes"] else 404)

    def do_PUT(self):
        path, body = self.path.split("?")[0], self._body()
        if path == "/_bulk":
            return self._bulk(body)
        self.server.state["indexes"].add(path.strip("/"))
        return self._send(200, {"acknowledged": True, "index": path.strip("/")})

    def _bulk(self, body: bytes) -> None:
        state = self.server.state
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        items, i = [], 0
        while i < len(lines):
            op, meta = next(iter(lines[i].items()))
            doc_id = str(meta["_id"])
            if op == "delete":
                state["docs"].pop(doc_id, None)
                i += 1
            else:
                state["docs"][doc_id] = lines[i + 1]
                i += 2
            state["log"].append((op, doc_id))
            items.append({op: {"_id": doc_id, "status": 200}})
        self._send(200, {"took": 1, "errors": False, "items": items})

    def do_GET(self):
        state = self.server.state
        self._send(200, {name: {"aliases": {a: {} for a in state["aliases"]}} for name in state["indexes"]})

    def do_DELETE(self):
        self._body()
        self._send(200, {"succeeded": True, "num_freed": 1})

    def do_POST(self):
        state, path, body = self.server.state, self.path.split("?")[0], self._body()
        if path == "/_aliases":
            for action in json.loads(body)["actions"]:
                if "add" in action:
                    state["aliases"].add(action["add"]["alias"])
            return self._send(200, {"acknowledged": True})
        if path == "/_bulk":
            return self._bulk(body)
        if path == "/_search/scroll":
            return self._send(200, {"_scroll_id": "s1", "hits": {"hits": []}, "_shards": {"total": 1, "successful": 1}})
        if path.endswith("/_search"):
            hits = [{"_id": k, "_source": {"digest": v.get("digest", "")}} for k, v in state["docs"].items()]
            return self._send(200, {"_scroll_id": "s1", "hits": {"total": {"value": len(hits)}, "hits": hits},
                                    "_shards": {"total": 1, "successful": 1, "skipped": 0}})
        return self._send(404, {"error": "not in the stand-in"})


def start() -> ThreadingHTTPServer:
    """A running stand-in on a free local port; `server.state` holds what it received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.state = {"indexes": set(), "aliases": set(), "docs": {}, "log": []}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
