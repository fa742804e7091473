"""ELASTICSEARCH_URL may name several nodes of the cluster: one that is down is passed over."""

from __future__ import annotations

from search.backends.es_client import client
from tests.security import es_stand_in

from .servers import free_port


def test_a_node_that_refuses_connections_is_passed_over():
    live = es_stand_in.start()
    try:
        down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        es = client(f"{down}, http://127.0.0.1:{live.server_port}", 2.0)
        # Round robin over both nodes: without the retry one of these would meet the dead node.
        assert [es.indices.exists(index=f"casebook-{n}").body for n in range(4)] == [False] * 4
    finally:
        live.shutdown()
        client.cache_clear()
