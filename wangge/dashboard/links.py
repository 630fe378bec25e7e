"""URLs of the lists behind the figures, with their filters in the lists' own query parameters."""

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse


@lru_cache(maxsize=512)
def _path(name: str, args: tuple) -> str:
    # A coverage table links four cells for each of a district's 1,000 grids: reverse each list once.
    return reverse(name, args=args)


def list_url(name: str, *args, **params) -> str:
    url = _path(name, args)
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{url}?{query}" if query else url
