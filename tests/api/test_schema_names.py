"""The OpenAPI document names each schema by its class name, so two schemas of the same name would
silently share one entry and document the wrong fields (it happened: the premises' and the sampling
sites' status bodies)."""

from collections import Counter

from ninja import Schema

import wangge.api.api  # noqa: F401  (imports every router and so every schema)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_api_schema_has_its_own_name():
    ours = {s for s in subclasses(Schema) if s.__module__.startswith("wangge.")}
    twice = {name: n for name, n in Counter(s.__name__ for s in ours).items() if n > 1}
    assert twice == {}
