"""Exports that are not ledger kinds (a campaign's inspection ledger, kept briefs...), for the ledgers
page. An app registers a function `(user) -> list[ExtraExport]` returning only what the user may
download (the download view checks again); core imports no app."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtraExport:
    group: str  # the heading it is listed under
    label: str
    url: str
    fmt: str  # shown on the button: "Excel", "Word", "PDF"


_PROVIDERS: list[Callable] = []


def register_extra_exports(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def extra_exports(user) -> list[ExtraExport]:
    return [export for provider in _PROVIDERS for export in provider(user)]
