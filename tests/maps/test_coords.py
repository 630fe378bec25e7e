"""Coordinate conversion against published reference points, and round trips.

Reference values (each computed by a different, independent implementation of the published algorithms):
- WGS-84 -> GCJ-02 for Shanghai, Shenzhen and Beijing: googollee/eviltransform, python/test.py (TESTS);
- WGS-84 -> GCJ-02, GCJ-02 -> BD-09, BD-09 -> GCJ-02 and the approximate GCJ-02 -> WGS-84 at (116.404, 39.915):
  wandergis/coordtransform, test/app.js (the results printed in its comments).
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wangge.core import coords

EVILTRANSFORM = [  # wgs lat, wgs lng, gcj lat, gcj lng
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wlat", "wlng", "glat", "glng"), EVILTRANSFORM)
def test_wgs84_to_gcj02_matches_eviltransform(wlat, wlng, glat, glng):
    lng, lat = coords.wgs84_to_gcj02(wlng, wlat)
    assert lng == pytest.approx(glng, abs=1e-9) and lat == pytest.approx(glat, abs=1e-9)
    # The exact inverse returns the WGS-84 point to well under a centimetre (1e-7 degrees is about 1 cm).
    back = coords.to_wgs84(glng, glat, "gcj02")
    assert back == pytest.approx((wlng, wlat), abs=1e-8)


def test_coordtransform_reference_point():
    assert coords.wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)
    assert coords.gcj02_to_bd09(116.404, 39.915) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    # Our BD-09 -> GCJ-02 refines the closed form so that the round trip closes: within 1e-6 degrees (10 cm).
    assert coords.bd09_to_gcj02(116.404, 39.915) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-6)
    # coordtransform's GCJ-02 -> WGS-84 is a one-step approximation (a metre or so off): ours agrees to 2 m.
    lng, lat = coords.to_wgs84(116.404, 39.915, "gcj02")
    assert abs(lng - 116.39775550083061) < 2e-5 and abs(lat - 39.91359571849836) < 2e-5


def test_bd09_is_gcj02_shifted_again():
    wgs = (121.4, 31.2)
    bd = coords.from_wgs84(*wgs, "bd09")
    assert bd == pytest.approx(coords.gcj02_to_bd09(*coords.wgs84_to_gcj02(*wgs)), abs=1e-12)
    assert coords.to_wgs84(*bd, "bd09") == pytest.approx(wgs, abs=1e-8)
    # Baidu's offset is a few hundred metres on top of GCJ-02's.
    assert 0.005 < abs(bd[0] - wgs[0]) < 0.02


def test_wgs84_and_cgcs2000_pass_through_and_outside_china_is_not_shifted():
    assert coords.to_wgs84(121.4, 31.2, "cgcs2000") == (121.4, 31.2)
    assert coords.from_wgs84(121.4, 31.2, "wgs84") == (121.4, 31.2)
    assert coords.to_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)  # Paris
    assert coords.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    with pytest.raises(ValueError, match="unknown"):
        coords.to_wgs84(1, 2, "mercator")
    with pytest.raises(ValueError, match="unknown"):
        coords.from_wgs84(1, 2, "mercator")


def test_geometry_conversion_walks_every_ring():
    square = {"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.0]]]}
    assert coords.convert_geometry(square, "wgs84") is square
    moved = coords.convert_geometry(square, "gcj02")
    assert moved["type"] == "Polygon" and len(moved["coordinates"][0]) == 4
    for (lng, lat), (olng, olat) in zip(moved["coordinates"][0], square["coordinates"][0], strict=True):
        assert coords.wgs84_to_gcj02(lng, lat) == pytest.approx((olng, olat), abs=1e-6)


@given(st.floats(73.0, 135.0), st.floats(18.0, 53.0), st.sampled_from(["gcj02", "bd09", "wgs84"]))
def test_round_trip_within_a_centimetre(lng, lat, system):
    there = coords.from_wgs84(lng, lat, system)
    back = coords.to_wgs84(*there, system)
    metres = math.hypot((back[0] - lng) * 111_320 * math.cos(math.radians(lat)), (back[1] - lat) * 110_574)
    assert metres < 0.01
