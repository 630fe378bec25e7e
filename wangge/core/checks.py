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
