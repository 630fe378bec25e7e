"""Paper numbers: 长新市监责改〔2022〕15号 = the unit's prefix, the kind's code, the year, the sequence.

`next_sequence` must run inside the transaction that saves the paper: the counter row is locked
(`select_for_update`) until that transaction ends, so two papers of one unit, kind and year made at
the same moment get consecutive numbers, and a paper that fails to save gives its number back with
the rollback (no gap). On SQLite writes are serialised anyway."""

from django.conf import settings

from wangge.core import numbering
from wangge.core.models import Department

from .choices import KIND_CODES
from .models import PaperCounter, PaperUnit


def kind_code(kind: str) -> str:
    return {**KIND_CODES, **getattr(settings, "PAPERS_KIND_CODES", {})}[kind]


def unit_of(department) -> tuple[str, str]:
    """(number prefix, issuer's name) of a department: its PaperUnit row, else its short name and name."""
    unit = PaperUnit.objects.select_related("department").filter(department=department.pk).first()
    if unit is not None:
        return unit.prefix, unit.issuer_name or unit.department.name
    short_name, name = Department.objects.filter(pk=department.pk).values_list("short_name", "name").get()
    return short_name or name, name


def format_number(prefix: str, kind: str, year: int, sequence: int) -> str:
    return numbering.format_number(prefix, kind_code(kind), year, sequence)


def next_sequence(department, kind: str, year: int) -> int:
    return numbering.next_number(PaperCounter, department=department, kind=kind, year=year)
