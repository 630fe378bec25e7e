"""/api/v1/dashboard: the dashboard's figures as JSON (the same providers as the page)."""


from django.core.exceptions import ValidationError
from ninja import Router, Schema

from .figures import Period
from .period import PeriodError, parse_period
from .rollup.refresh import ensure_fresh
from .rounds import RoundError, pick
from .views import dashboard_data

router = Router(tags=["dashboard"])


class FigureOut(Schema):
    key: str
    label: str
    value: int | float | str | None
    url: str | None
    unit: str


class TableOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[FigureOut]]
    chart: bool


class FigureItemOut(Schema):
    text: str
    url: str | None


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]
    tables: list[TableOut]
    notable: list[FigureItemOut]
    note: str


class DashboardRoundOut(Schema):
    id: int
    label: str


class RoundsOut(Schema):
    chosen: int | None
    choices: list[DashboardRoundOut]


class DashboardOut(Schema):
    period: dict | None
    rounds: RoundsOut
    generated_at: str
    sections: list[SectionOut]


@router.get("", response=DashboardOut, summary="The dashboard's sections over what the caller may see")
def dashboard(request, start: str = "", end: str = "", campaign: str = ""):
    """`?start=YYYY-MM-DD&end=YYYY-MM-DD` picks the rounds and the notable items of that period; `campaign`
    one of the rounds offered (`rounds.choices`), by default the largest."""
    try:
        period: Period | None = parse_period({"from": start, "to": end})
    except PeriodError as exc:
        raise ValidationError({"start": str(exc)}) from None
    rolled = ensure_fresh()
    try:
        rounds = pick(period, campaign, rolled=rolled, user=request.user)
    except RoundError as exc:
        raise ValidationError({"campaign": str(exc)}) from None
    return dashboard_data(request.user, period, rounds)
