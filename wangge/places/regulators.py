"""Which department regulates a premises: the one its town names for its category (CategoryRoute)."""

from wangge.core.models import Department
from wangge.core.towns import routed_department

from .models import CategoryRoute


def regulator_of(premises) -> Department | None:
    if premises is None:
        return None
    return routed_department(CategoryRoute, premises.grid_id, premises.category_id)
