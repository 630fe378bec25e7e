"""What an order's category code reads as: the apps that raise orders register their codes' labels (a
resident's need kind, a demand category), so no page shows `daily_life`. A category typed by hand on a
manual order has no code and reads as typed."""

LABELS: dict[str, dict[str, object]] = {}


def register(kind: str, choices) -> None:
    LABELS.setdefault(kind, {}).update(dict(choices))


def label(kind: str, category: str) -> str:
    return str(LABELS.get(kind, {}).get(category, category))
