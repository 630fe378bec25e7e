"""Rows a verb already holds, handed to the instance as if prefetched, so that what shows the instance
next (the API's answer to a submission) does not read back what was just written."""


def hold(instance, **related) -> None:
    """`instance.<name>.all()` answers these rows without a query, as after `prefetch_related(name)`;
    a filter on it still asks the database. Give the rows in the order the relation's model sorts them."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        queryset = getattr(instance, name).all()
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
