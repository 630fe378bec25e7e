"""UniqueUnless (core/constraints.py) decides as Django's own UniqueConstraint with the same condition: the
oracle is Django's validate, run on the same instances (saved, new, with or without a credit code, fields
excluded), and the constraint in the database is the same (no migration)."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import UniqueConstraint
from django.test.utils import CaptureQueriesContext

from wangge.core.constraints import UniqueUnless
from wangge.places import services
from wangge.places.models import Premises, PremisesCategory

pytestmark = pytest.mark.django_db

CODE = "91310105MA1FL0XX2T"


def _answer(constraint, instance, exclude=None):
    try:
        constraint.validate(Premises, instance, exclude=exclude)
    except ValidationError as exc:
        return exc.messages, exc.code
    return None


def test_it_answers_as_djangos_unique_constraint(world):
    ours = next(c for c in Premises._meta.constraints if c.name == "premises_credit_code")
    assert isinstance(ours, UniqueUnless)
    path, args, kwargs = ours.deconstruct()
    assert path == "django.db.models.UniqueConstraint"
    django_s = UniqueConstraint(*args, **kwargs)
    cadre = world.users["cadre"]
    category = PremisesCategory.objects.get(name="餐饮")
    taken = services.register_premises(cadre, name="有码店", category=category, address="仙霞西路1号",
                                       credit_code=CODE)
    blank = services.register_premises(cadre, name="无码店", category=category, address="仙霞西路3号")
    answers = []
    for code in ("", CODE, "91310105MA1FL0YY3U"):
        new = Premises(name="新店", category=category, address="仙霞西路5号", credit_code=code, grid=taken.grid)
        for instance in (new, copy.copy(taken), copy.copy(blank)):
            instance.credit_code = code
            for exclude in (None, {"credit_code"}, {"name"}):
                expected = _answer(django_s, instance, exclude)
                assert _answer(ours, instance, exclude) == expected, (code, instance.pk, exclude)
                answers.append(expected)
    # Both answers occur: a new or other premises with the taken code is refused, the rest pass.
    assert (["该统一社会信用代码的场所已登记。"], None) in answers and None in answers


def test_a_premises_without_a_credit_code_is_checked_without_a_query(world):
    ours = next(c for c in Premises._meta.constraints if c.name == "premises_credit_code")
    with CaptureQueriesContext(connection) as queries:
        ours.validate(Premises, Premises(name="无码", credit_code=""))
    assert len(queries) == 0


def test_only_the_negated_equality_is_taken():
    from django.db.models import Q

    with pytest.raises(ValueError, match="~Q"):
        UniqueUnless(fields=["name"], condition=Q(status="open"), name="x")
    with pytest.raises(ValueError, match="~Q"):
        UniqueUnless(fields=["name"], condition=~Q(status__in=["a"]), name="x")
