"""URLs of the lists behind the figures, with their filters in the lists' own query parameters."""

from urllib.parse import urlencode

from django.urls import reverse


def list_url(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{url}?{query}" if query else url
