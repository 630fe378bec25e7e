"""The shapes every figure provider returns: a section of labelled figures, each with the URL of the
list behind it, and tables whose cells link the same way. Plain data, so the page, the JSON endpoint,
the big screen and the briefs all read one structure."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Period:
    """The days a dashboard or brief speaks for (both ends included)."""

    start: datetime.date
    end: datetime.date
    # A brief or review reports the period it names: its figures as they stood at the end of `end`
    # (rows created by then; orders open then). The live dashboard leaves this off.
    as_of_end: bool = False

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("period starts after it ends")

    @property
    def cutoff(self) -> datetime.datetime | None:
        """The first moment after the period (local midnight) when figures are as of its end, else None."""
        if not self.as_of_end:
            return None
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1),
                                                             datetime.time.min))


def cutoff(period: "Period | None") -> datetime.datetime | None:
    return period.cutoff if period is not None else None


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | str | None
    url: str | None = None
    unit: str = ""
    # A daily brief's figure also gives the day's own number: the figure as of the end of the day minus
    # as of the end of the day before (briefs.content.add_day_numbers). None elsewhere.
    day: int | None = None

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value, "url": self.url, "unit": self.unit}


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Figure]]  # the first cell is the row's label (value = its text)
    chart: bool = False  # also drawn as a bar chart on the page


@dataclass
class Item:
    """A notable item: one line for the brief, with a link for the page."""

    text: str
    url: str | None = None


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notable: list[Item] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        # By hand: dataclasses.asdict deep-copies every value, slow for a district's 1,000-row tables.
        return {"key": self.key, "title": self.title, "note": self.note,
                "figures": [f.as_dict() for f in self.figures],
                "tables": [{"key": t.key, "title": t.title, "headers": t.headers, "chart": t.chart,
                            "rows": [[c.as_dict() for c in row] for row in t.rows]} for t in self.tables],
                "notable": [{"text": i.text, "url": i.url} for i in self.notable]}
