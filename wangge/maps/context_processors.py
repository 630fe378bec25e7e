from django.conf import settings


def map_settings(request):
    """The base layer's tile URL and attribution for the map component (empty: our own layers only)."""
    return {"map_tiles": settings.MAP_TILE_URL, "map_attribution": settings.MAP_TILE_ATTRIBUTION}
