"""What a brief says: the dashboard's sections for the same user and period, laid out the way an
official brief is (title, date line, numbered sections per work stream, figures, notable items)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import BriefKind
from ..figures import Period, Section
from ..sources import collect

NUMERALS = "一二三四五六七八九十"


@dataclass
class BriefContent:
    title: str
    date_line: str
    basis: str  # 数据截至…: the moment the figures stand at
    sections: list[Section]
    issuer: str
    generated_at: str
    number: str = ""  # a numbered document's 文号 (an approved review), under the title
    body: tuple[str, ...] = ()  # paragraphs written by a person (a review's text), before the sections

    def heading(self, index: int, section: Section) -> str:
        numeral = NUMERALS[index] if index < len(NUMERALS) else str(index + 1)
        return f"{numeral}、{section.title}"


def figure_text(figure) -> str:
    value = "—" if figure.value is None else f"{figure.value}{figure.unit}"
    if figure.day is not None:
        return _("%(label)s: that day %(day)s / total %(total)s") % {
            "label": figure.label, "day": f"{figure.day}{figure.unit}", "total": value}
    return f"{figure.label}：{value}"


def _counts(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def add_day_numbers(sections, before) -> None:
    """Set each count's `day`: its value as of the end of the day minus as of the end of the day before
    (`before`, the same sections one day earlier). For a running count (inspected, shutdowns) that is what
    happened that day; for a standing count (open orders, not yet inspected) the day's net change."""
    earlier = {(s.key, s.title, f.key): f.value for s in before for f in s.figures}  # title: the same round
    for section in sections:
        for figure in section.figures:
            previous = earlier.get((section.key, section.title, figure.key), 0)
            if figure.unit != "%" and _counts(figure.value) and _counts(previous):
                figure.day = figure.value - previous


def cell_text(cell) -> str:
    return "—" if cell.value is None else f"{cell.value}{cell.unit}"


def _day(d) -> str:
    return _("%(y)s-%(m)s-%(d)s") % {"y": d.year, "m": d.month, "d": d.day}


def date_line(period: Period) -> str:
    if period.start == period.end:
        return _("Date: %(day)s") % {"day": _day(period.start)}
    return _("Period: %(start)s to %(end)s") % {"start": _day(period.start), "end": _day(period.end)}


def basis_line(period: Period) -> str:
    """What moment the figures stand at: the end of the period's last day (数据截至2022年7月15日24时)."""
    return _("Figures as of the end of %(day)s") % {"day": _day(period.end)}


def build(user, kind: str, period: Period, issuer: str) -> BriefContent:
    """A brief reports the period it names: every figure as it stood at the end of its last day
    (`Period.as_of_end`); a section says which of its figures can only be given as they are now."""
    title = _("%(issuer)s %(kind)s") % {"issuer": issuer, "kind": BriefKind(kind).label}
    period = Period(period.start, period.end, as_of_end=True)
    sections = collect(user, period)
    if kind == BriefKind.DAILY:
        day_before = period.end - datetime.timedelta(days=1)
        add_day_numbers(sections, collect(user, Period(day_before, day_before, as_of_end=True)))
    return BriefContent(title=title, date_line=date_line(period), basis=basis_line(period),
                        sections=sections, issuer=issuer,
                        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
