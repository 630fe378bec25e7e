"""Fast inserts for generated rows. Registries (premises, residents, work orders) go through
`core.bulk.insert_audited` (encryption, one audit entry per row); the high-volume derived rows
(tasks, inspections, answers, inspector links) through the same id reservation and executemany/COPY
path without per-row audit entries — the run records one audit entry that says what it generated."""

from django.utils import timezone

from wangge.core import bulk


def insert_plain(objs: list) -> list:
    """Insert new rows of one model; primary keys already set are kept, missing ones reserved."""
    if not objs:
        return objs
    model = type(objs[0])
    missing = [o for o in objs if o.pk is None]
    for obj, pk in zip(missing, bulk._reserve_ids(model, len(missing)) if missing else [], strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    bulk._insert(model, bulk._prepare(objs, fields, timezone.now()), fields)
    return objs


def reserve(model, count: int) -> list[int]:
    return bulk._reserve_ids(model, count)
