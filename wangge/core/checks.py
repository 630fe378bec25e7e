from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def personal_data_keys(app_configs, **kwargs):
    errors = []
    try:
        from .crypto import _fernet

        _fernet()
    except Exception as exc:  # noqa: BLE001  (any malformed key is reported the same way)
        errors.append(Error(f"WANGGE_FIELD_KEYS is not a list of valid Fernet keys: {exc}", id="wangge.E001"))
    if len(settings.PERSONAL_DATA_HASH_KEY) < 32:
        errors.append(Error("WANGGE_HASH_KEY must be at least 32 characters", id="wangge.E002"))
    return errors


PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache",
                      "django.core.cache.backends.filebased.FileBasedCache"}


@register(deploy=True)
def shared_cache(app_configs, **kwargs):
    """The public rate limit counts in the cache: with a per-process cache each worker counts alone
    (N workers, N times the limit). Production needs a cache every worker shares (REDIS_URL)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "PRODUCTION", False) and backend in PER_PROCESS_CACHES:
        return [Error(f"The cache ({backend.rsplit('.', 1)[-1]}) is not shared by the app's processes, so rate "
                      "limits count per process", hint="Set REDIS_URL (docs/DEPLOY.md).", id="wangge.E003")]
    return []
