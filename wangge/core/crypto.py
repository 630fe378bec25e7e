"""Personal data at rest: Fernet encryption, a keyed hash for look-up, and masking for display."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts, so old rows stay readable during a rotation.
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong or missing key must fail loudly, never return garbage
        raise ValueError("cannot decrypt a personal field: check WANGGE_FIELD_KEYS") from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored file: check WANGGE_FIELD_KEYS") from exc


def rotate(token: str) -> str:
    """Re-encrypt with the newest key."""
    return _fernet().rotate(token.encode()).decode()


def rotate_bytes(token: bytes) -> bytes:
    return _fernet().rotate(token)


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value: exact look-up and de-duplication without plaintext."""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.digest(key, value.strip().upper().encode(), "sha256").hex()  # one-shot: OpenSSL's fast path


def keyed_blake2b(person: bytes, size: int = 16):
    """A keyed BLAKE2b (the hash key, `person` naming the use) whose copies digest many values fast:
    a digest over cells that include a phone cannot be brute-forced into the phone without the key."""
    key = hashlib.sha256(settings.PERSONAL_DATA_HASH_KEY.encode()).digest()
    return hashlib.blake2b(key=key, person=person, digest_size=size)


def mask_id_number(value: str) -> str:
    """310105199001011234 -> 310105********123X style: area code and last four."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_birth_date(value) -> str:
    """1970-11-19 -> 1970-**-**: beside a masked ID number (whose hidden digits are the birth date) a full
    date would give the whole number back."""
    return f"{value.year}-**-**" if value else ""


def mask_phone(value: str) -> str:
    """13912345678 -> 139****5678; landlines keep their last four."""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def clear_key_cache() -> None:
    _fernet.cache_clear()


def mask_any(value: str) -> str:
    """Mask a personal value of unknown shape (e.g. a mistyped ID number in an import report)."""
    value = (value or "").strip()
    if len(value) >= 15:
        return mask_id_number(value)
    if len(value) >= 8:
        return mask_phone(value)
    return "*" * len(value)
