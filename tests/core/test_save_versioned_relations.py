"""save_versioned checks a foreign key's target only when the key changed (core/services.py::_full_clean):
a key still holding the stored value is kept by the database's own constraint. Everything else is checked
as Django's full_clean does. Oracles: the SQL sent (captured), Django's own messages, the rows by SQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inspections.helpers import campaign
from wangge.core.services import save_versioned
from wangge.inspections.choices import TaskReason
from wangge.inspections.models import Task
from wangge.places import services
from wangge.places.models import Premises, PremisesCategory

pytestmark = pytest.mark.django_db


def _lookups_of(queries, table: str) -> list[str]:
    """The existence checks Django's ForeignKey.validate sends for a target in `table`."""
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT 1 AS") and f'FROM "{table}"' in q["sql"]]


def _premises(world) -> Premises:
    category = PremisesCategory.objects.get(name="餐饮")
    return services.register_premises(world.users["cadre"], name="外键店", category=category, address="仙霞西路7号")


def test_an_unchanged_key_is_not_looked_up_and_a_changed_one_is(world):
    premises = _premises(world)
    with CaptureQueriesContext(connection) as unchanged:
        services.update_premises(world.users["cadre"], premises, premises.version, notes="只改备注")
    assert _lookups_of(unchanged.captured_queries, "places_premisescategory") == []
    assert _lookups_of(unchanged.captured_queries, "core_area") == []
    other = PremisesCategory.objects.exclude(pk=premises.category_id).first()
    with CaptureQueriesContext(connection) as changed:
        services.update_premises(world.users["cadre"], premises, premises.version, category=other)
    assert len(_lookups_of(changed.captured_queries, "places_premisescategory")) == 1
    assert Premises.objects.filter(pk=premises.pk, category=other, notes="只改备注").exists()


def test_a_changed_key_to_nothing_is_refused_as_django_refuses_it(world):
    premises = _premises(world)
    premises.category_id = 987654
    with pytest.raises(ValidationError) as refused:
        save_versioned(premises, premises.version)
    expected = Premises(category_id=987654)
    with pytest.raises(ValidationError) as django_s:
        expected.clean_fields(exclude={f.name for f in Premises._meta.fields if f.name != "category"})
    assert refused.value.message_dict["category"] == django_s.value.message_dict["category"]
    assert Premises.objects.get(pk=premises.pk).category_id != 987654


def test_a_constraint_over_unchanged_keys_is_still_checked(world):
    """A re-inspection task turned routine beside the premises' routine task: its campaign and premises keys are
    unchanged (not looked up), but the one-routine-task-per-premises constraint over them is checked, and
    refused with a message rather than an IntegrityError."""
    planned = campaign(world)
    routine = Task.objects.filter(campaign=planned).exclude(reason=TaskReason.REINSPECTION).first()
    again = save_versioned(Task(campaign=planned, premises=routine.premises, shift=routine.shift,
                                reason=TaskReason.REINSPECTION), None)
    again.reason = TaskReason.SCOPE
    with pytest.raises(ValidationError):
        save_versioned(again, again.version)
    assert Task.objects.get(pk=again.pk).reason == TaskReason.REINSPECTION
