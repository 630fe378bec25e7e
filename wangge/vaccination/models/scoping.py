"""Who sees vaccination rows: the resident's grid (area roles), the resident's family doctor, and for
family doctors also the unsigned residents of their own areas (ScopingSpec.doctor_area)."""

from wangge.core.visibility import ScopingSpec


class ByResident(ScopingSpec):
    area = "resident__grid"
    doctor = "resident__family_doctor"
    doctor_area = ("resident__grid", "resident__family_doctor")
