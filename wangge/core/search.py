"""Searching by a full ID or phone number without putting it in a URL.

A search box that may receive a full ID or mobile number posts its form; `search_by_post` turns the
post into the list's ordinary GET address, with the number replaced by its keyed hash (`qh`, the same
HMAC the lists already match against, useless without WANGGE_HASH_KEY). So the number never reaches an
address bar, the browser's history, a Referer, the proxy's access log or ours. A name stays `q`.
"""

import re
from functools import wraps

from django.shortcuts import redirect

from .crypto import keyed_hash
from .validators import normalise

DIGEST = re.compile(r"[0-9a-f]{64}")


def is_identifier(query: str) -> bool:
    """A full ID number (18 characters, the last may be X) or an 11-digit mobile number."""
    return len(query) >= 11 and query[:-1].isdecimal()


def digest_of(params) -> str | None:
    """The keyed hash a list filters by: from `qh`, or computed from a full number still sent as `q`."""
    given = str(params.get("qh", "") or "")
    if DIGEST.fullmatch(given):
        return given
    query = normalise(str(params.get("q", "") or ""))
    return keyed_hash(query) if is_identifier(query) else None


def search_by_post(view):
    """GET as usual; a POSTed search redirects to the GET address with a full number hashed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        params = request.POST.copy()
        params.pop("csrfmiddlewaretoken", None)
        query = normalise(params.get("q", ""))
        if is_identifier(query):
            params.pop("q", None)
            params["qh"] = keyed_hash(query)
        # 303: the browser (and htmx) fetches the list with GET, and the history holds this address.
        return _see_other(f"{request.path}?{params.urlencode()}")

    return wrapped


def _see_other(url):
    response = redirect(url)
    response.status_code = 303
    return response
