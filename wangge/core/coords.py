"""Coordinate systems: we store WGS-84 and convert on the way in and out.

- WGS-84: GPS, the browser's position, 天地图 (whose CGCS2000 differs from WGS-84 by centimetres: the same);
- GCJ-02 (国测局, "Mars" coordinates): 高德 and 腾讯 maps;
- BD-09: 百度 maps (a further offset on top of GCJ-02).

GCJ-02 is an obfuscation with a published closed form one way (WGS-84 -> GCJ-02); the way back is found by
fixed-point iteration to well under a centimetre. Outside China the offset is not applied (as the providers do).
"""

import math
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

# Krasovsky 1940 ellipsoid, as in the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD = math.pi * 3000.0 / 180.0
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
MICRO_DEGREE = Decimal("0.000001")  # how finely coordinates are stored


class System(StrEnum):
    WGS84 = "wgs84"
    CGCS2000 = "cgcs2000"
    GCJ02 = "gcj02"
    BD09 = "bd09"


LABELS = {System.WGS84: _("WGS-84 (GPS, 天地图)"), System.CGCS2000: _("CGCS2000 (treated as WGS-84)"),
          System.GCJ02: _("GCJ-02 (高德, 腾讯)"), System.BD09: _("BD-09 (百度)")}


# What people write in a ledger's coordinate-system cell, checked in this order (a label such as
# "CGCS2000 (treated as WGS-84)" names its own system first).
_SYSTEM_WORDS = ((System.BD09, ("bd09", "百度")), (System.GCJ02, ("gcj02", "高德", "腾讯", "火星", "国测局")),
                 (System.CGCS2000, ("cgcs2000", "国家2000", "2000")), (System.WGS84, ("wgs84", "gps", "天地图")))


def parse_system(text: str) -> System | None:
    """The coordinate system a cell names ("GCJ-02", "高德", "百度坐标", "WGS84"); None when it names none."""
    key = "".join(str(text or "").split()).lower().replace("-", "").replace("_", "")
    for system, words in _SYSTEM_WORDS:
        if any(word in key for word in words):
            return system
    return None


def stored_point(lat, lng, system: str) -> tuple[Decimal, Decimal]:
    """A point given in `system` as the WGS-84 latitude and longitude we store (6 decimals, about 10 cm)."""
    wlng, wlat = to_wgs84(float(lng), float(lat), system)
    return Decimal(wlat).quantize(MICRO_DEGREE), Decimal(wlng).quantize(MICRO_DEGREE)


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine) between two WGS-84 points in degrees."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def out_of_china(lng: float, lat: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lng: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of longitude, latitude) at a WGS-84 point."""
    x, y = lng - 105.0, lat - 35.0
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + common
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlng = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + common
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlng = dlng * 180.0 / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlng, dlat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    dlng, dlat = _offset(lng, lat)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """Inverse by fixed-point iteration: converges to 1e-11 degrees in a few steps."""
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(wgs84_to_gcj02, lng, lat, lng, lat)


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _BD)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _BD)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """The published closed form (good to about 5 cm), refined so that gcj02_to_bd09 gives `lng, lat` back."""
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _BD)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD)
    return _invert(gcj02_to_bd09, lng, lat, z * math.cos(theta), z * math.sin(theta))


def _invert(forward, lng: float, lat: float, glng: float, glat: float) -> tuple[float, float]:
    """Fixed-point iteration: the point that `forward` sends to (lng, lat), from the guess (glng, glat)."""
    for _step in range(30):
        flng, flat = forward(glng, glat)
        dlng, dlat = flng - lng, flat - lat
        glng, glat = glng - dlng, glat - dlat
        if abs(dlng) < 1e-11 and abs(dlat) < 1e-11:
            break
    return glng, glat


def to_wgs84(lng: float, lat: float, system: str) -> tuple[float, float]:
    """A point given in `system` as WGS-84 (what we store)."""
    if system == System.GCJ02:
        return gcj02_to_wgs84(lng, lat)
    if system == System.BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))
    if system in (System.WGS84, System.CGCS2000):
        return lng, lat
    raise ValueError(f"unknown coordinate system {system!r}")


def from_wgs84(lng: float, lat: float, system: str) -> tuple[float, float]:
    """A stored WGS-84 point as `system` (for a base map in GCJ-02 or BD-09)."""
    if system == System.GCJ02:
        return wgs84_to_gcj02(lng, lat)
    if system == System.BD09:
        return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))
    if system in (System.WGS84, System.CGCS2000):
        return lng, lat
    raise ValueError(f"unknown coordinate system {system!r}")


def _each_point(geometry: dict, move) -> dict:
    """A GeoJSON geometry (or a Feature holding one) with `move(lng, lat)` applied to every position."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            return list(move(coords[0], coords[1]))
        return [walk(c) for c in coords]

    return {"type": geometry.get("type"), "coordinates": walk(geometry.get("coordinates") or [])}


def convert_geometry(geometry: dict, system: str) -> dict:
    """A GeoJSON geometry from `system` to WGS-84 (what we store), to 1e-7 degrees."""
    if system in (System.WGS84, System.CGCS2000):
        return geometry
    return _each_point(geometry, lambda x, y: [round(v, 7) for v in to_wgs84(x, y, system)])


def geometry_to(geometry: dict, system: str) -> dict:
    """A stored WGS-84 GeoJSON geometry (or a Feature holding one) in `system`, for a base map in it."""
    return _each_point(geometry, lambda x, y: [round(v, 6) for v in from_wgs84(x, y, system)])
