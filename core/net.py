"""The client's address, as lockouts, rate limits and the audit log see it.

Behind a reverse proxy, set TRUSTED_PROXY_COUNT to the number of proxies that append to
X-Forwarded-For (usually 1): the address is then the one that many hops from the right, which
a client can't forge. With 0 (the default) REMOTE_ADDR is used and the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    meta = getattr(request, "META", {})
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    candidate = meta.get("REMOTE_ADDR", "")
    if proxies > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def address_key(ip: str | None) -> str:
    """The unit of an address for counting: an IPv4 address, or an IPv6 /64 network."""
    if not ip:
        return "unknown"
    addr = ipaddress.ip_address(ip)
    if addr.version == 6:
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)
