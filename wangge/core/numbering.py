"""Numbers that must be distinct and leave no gap (文号): a counter row per key, bumped under a row lock.

`next_number` must run inside the transaction that saves the numbered document: the counter row stays
locked until that transaction ends, so two documents numbered at the same moment get consecutive
numbers, and one that fails to save gives its number back with the rollback. On SQLite writes are
serialised anyway. Used by the enforcement papers (per unit, kind and year) and the reviews (per year)."""

from django.db import transaction


def next_number(counter_model, **key) -> int:
    """Bump `counter_model`'s row for `key` (a model with a `last` field, unique on the key's fields)."""
    assert transaction.get_connection().in_atomic_block, "number a document inside its own transaction"
    counter_model.objects.get_or_create(**key)  # races: get_or_create retries on the unique key
    counter = counter_model.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_number(prefix: str, code: str, year: int, sequence: int) -> str:
    """长新市监责改〔2022〕15号: the issuer's prefix, the kind's code, the year, the sequence."""
    return f"{prefix}{code}〔{year}〕{sequence}号"
