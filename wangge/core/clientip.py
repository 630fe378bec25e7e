"""The client's address: REMOTE_ADDR, or behind a trusted reverse proxy the header it sets.

A forwarding header is believed only when the request comes from one of TRUSTED_PROXIES: anyone can
send `X-Forwarded-For`, so trusting it from everyone would let a client pick the address its failed
sign-ins and its rate limit are counted against.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    header = settings.CLIENT_IP_HEADER
    if header and remote and remote in settings.TRUSTED_PROXIES:
        # The proxy appends the address it saw last: with one trusted proxy in front, that entry is the client.
        forwarded = request.META.get(header, "").split(",")
        found = _address(forwarded[-1]) if forwarded else None
        return found or remote
    return remote
