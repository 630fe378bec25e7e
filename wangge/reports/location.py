"""Where a report is: an address placed on a road segment (places.services.find_segment, as premises are
placed), else the browser's position inside a grid's boundary (places.geo.grid_at)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wangge.core.models import Area
from wangge.core.validators import normalise, parse_address
from wangge.places.geo import grid_at
from wangge.places.models import RoadSegment
from wangge.places.services import find_segment


@dataclass
class Location:
    grid: Area
    segment: RoadSegment | None
    latitude: Decimal | None
    longitude: Decimal | None
    address: str


def coordinate(value, low: float, high: float) -> Decimal | None:
    """A latitude or longitude from a form or a cell, or None; a value outside its range is refused."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Not a valid position.")) from None
    if not (low <= number <= high) or not number.is_finite():
        raise ValidationError(_("Not a valid position."))
    return number.quantize(Decimal("0.000001"))


def segment_of(address: str) -> RoadSegment | None:
    parsed = parse_address(address)
    number = parsed.lane or parsed.number
    return find_segment(parsed.road, int(number) if number.isdecimal() else None)


def locate(address: str = "", latitude=None, longitude=None, grid: Area | None = None) -> Location:
    """The report's place; a ValidationError on `location` when neither the address nor the position
    falls in a grid (a ledger may name the grid itself as the last resort)."""
    address = normalise(address or "")[:200]
    lat, lng = coordinate(latitude, -90, 90), coordinate(longitude, -180, 180)
    segment = segment_of(address) if address else None
    found = segment.grid if segment is not None else None
    if found is None and lat is not None and lng is not None:
        found = grid_at(float(lng), float(lat))
    found = found or grid
    if found is None:
        raise ValidationError({"location": _("We could not tell where this is: give the road and house number "
                                             "(for example 仙霞西路5号), or allow the page to use your position.")})
    return Location(found, segment, lat, lng, address)
