"""Real boundary files made by the tests: GeoJSON by json, Shapefiles by pyshp (written, zipped, read back)."""

import io
import json
import zipfile

import shapefile

WGS84_PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
             'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
UTM_PRJ = 'PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984"],PROJECTION["Transverse_Mercator"]]'


def square(x: float, y: float, size: float = 0.01) -> list:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def geojson(features: list[tuple[dict, list]]) -> bytes:
    """[(properties, ring)] -> a FeatureCollection of Polygons, as bytes."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for props, ring in features]}, ensure_ascii=False).encode()


def shapefile_zip(features: list[tuple[dict, list]], prj: str | None = WGS84_PRJ, encoding="utf-8") -> bytes:
    """The same as a zipped Shapefile (.shp, .shx, .dbf, .prj, .cpg) written by pyshp."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding=encoding) as writer:
        writer.field("CODE", "C", size=20)
        writer.field("NAME", "C", size=50)
        for props, ring in features:
            # Shapefile outer rings run clockwise.
            writer.poly([list(reversed(ring))])
            writer.record(props.get("code", ""), props.get("name", ""))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("grids.shp", shp.getvalue())
        archive.writestr("grids.shx", shx.getvalue())
        archive.writestr("grids.dbf", dbf.getvalue())
        archive.writestr("grids.cpg", encoding)
        if prj is not None:
            archive.writestr("grids.prj", prj)
    return out.getvalue()
