"""Boundary files as features: GeoJSON, or a zipped Shapefile (.shp, .shx, .dbf and .prj), the formats a
district's GIS exports. Each feature is (its number in the file, its attributes, its GeoJSON geometry)."""

import io
import json
import zipfile
from dataclasses import dataclass

import shapefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Feature:
    number: int
    properties: dict
    geometry: dict | None


def read(data: bytes, filename: str) -> list[Feature]:
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    name = filename.lower()
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04":
        return _shapefile(data)
    if name.endswith((".geojson", ".json")):
        return _geojson(data)
    raise ValidationError({"file": _("Send a GeoJSON file (.geojson) or a zipped Shapefile (.zip with .shp, .shx, "
                                     ".dbf and .prj).")})


def _geojson(data: bytes) -> list[Feature]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError({"file": _("This is not a GeoJSON file: %(error)s") % {"error": exc}}) from exc
    if not isinstance(doc, dict):
        raise ValidationError({"file": _("This is not a GeoJSON file.")})
    crs = (doc.get("crs") or {}).get("properties", {}).get("name", "")
    if crs and not any(code in crs for code in ("4326", "4490", "CRS84")):
        raise ValidationError({"file": _("The file is in the projected system %(crs)s: export it in degrees "
                                         "(longitude and latitude).") % {"crs": crs}})
    if doc.get("type") == "FeatureCollection":
        items = doc.get("features") or []
    elif doc.get("type") == "Feature":
        items = [doc]
    else:
        items = [{"type": "Feature", "properties": {}, "geometry": doc}]
    features = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"file": _("Feature %(n)s is not a GeoJSON feature.") % {"n": number}})
        features.append(Feature(number, dict(item.get("properties") or {}), item.get("geometry")))
    return features


def _member(archive: zipfile.ZipFile, ext: str) -> bytes | None:
    names = [n for n in archive.namelist() if n.lower().endswith(ext) and not n.startswith("__MACOSX")]
    return archive.read(names[0]) if names else None


def _shapefile(data: bytes) -> list[Feature]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationError({"file": _("This .zip file cannot be opened.")}) from exc
    parts = {ext: _member(archive, ext) for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")}
    missing = [ext for ext in (".shp", ".shx", ".dbf") if parts[ext] is None]
    if missing:
        raise ValidationError({"file": _("The .zip lacks the Shapefile's %(parts)s.") % {"parts": "、".join(missing)}})
    prj = (parts[".prj"] or b"").decode("utf-8", "replace")
    if prj.strip().upper().startswith("PROJCS"):
        raise ValidationError({"file": _("The Shapefile is in a projected system (.prj: %(name)s): export it in "
                                         "degrees (longitude and latitude).") % {"name": prj.split('"')[1]
                                                                                 if '"' in prj else prj[:40]}})
    encoding = (parts[".cpg"] or b"").decode("ascii", "replace").strip() or "utf-8"
    try:
        reader = shapefile.Reader(shp=io.BytesIO(parts[".shp"]), shx=io.BytesIO(parts[".shx"]),
                                  dbf=io.BytesIO(parts[".dbf"]), encoding=encoding)
        return [Feature(number, item.record.as_dict(), item.shape.__geo_interface__ if item.shape.points else None)
                for number, item in enumerate(reader.iterShapeRecords(), start=1)]
    except (shapefile.ShapefileException, UnicodeDecodeError, LookupError, ValueError) as exc:
        raise ValidationError({"file": _("The Shapefile cannot be read: %(error)s") % {"error": exc}}) from exc
