"""An arithmetic captcha drawn as an image, checked on the server: works without any SMS service.

The form carries a token signed with the secret key (its own salt) naming a random nonce; the question
(a + b or a − b, small numbers) is derived from the nonce with a keyed hash, so the token holds no
answer and the server stores nothing until it is used. A token is valid for PUBLIC_REPORT_CAPTCHA_MINUTES
and once: the first use marks its nonce in the cache (shared by the app's processes in production, the
same rule as the rate limits: core/checks.py `shared_cache`).
"""

import base64
import hashlib
import hmac
import io
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from . import conf

SALT = "wangge.reports.captcha"


def new_token() -> str:
    return signing.dumps(secrets.token_hex(8), salt=SALT, compress=False)


def _nonce(token: str) -> str | None:
    try:
        nonce = signing.loads(token, salt=SALT, max_age=conf.captcha_minutes() * 60)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return nonce if isinstance(nonce, str) else None


def question(nonce: str) -> tuple[str, int]:
    """(the question as shown, its answer) for a nonce."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{nonce}".encode(), hashlib.sha256).digest()
    a, b = 2 + digest[0] % 18, 1 + digest[1] % 9
    if digest[2] % 2:
        return f"{a} + {b} = ?", a + b
    return f"{a} - {b} = ?", a - b


def answer_of(token: str) -> int | None:
    """The answer to a token's question (tests and the browser check solve the captcha with it)."""
    nonce = _nonce(token)
    return question(nonce)[1] if nonce else None


def check(token: str, given: str) -> bool:
    """A right answer to a live, unused token; the token is spent either way once it is checked."""
    nonce = _nonce(token or "")
    if nonce is None:
        return False
    if not cache.add(f"captcha-used:{nonce}", 1, timeout=conf.captcha_minutes() * 60 + 60):
        return False  # already used
    given = (given or "").strip()
    return given.lstrip("-").isdecimal() and int(given) == question(nonce)[1]


def image(token: str) -> str:
    """The question as a PNG data URI (the CSP allows data: images), with noise lines against OCR."""
    nonce = _nonce(token) or ""
    text = question(nonce)[0] if nonce else "?"
    rng = secrets.SystemRandom()
    picture = Image.new("RGB", (180, 56), (246, 248, 250))
    draw = ImageDraw.Draw(picture)
    for _n in range(6):
        draw.line([(rng.randint(0, 180), rng.randint(0, 56)), (rng.randint(0, 180), rng.randint(0, 56))],
                  fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)), width=2)
    font = ImageFont.load_default(size=30)
    x = 10
    for char in text:
        draw.text((x, 10 + rng.randint(-4, 4)), char, font=font, fill=(rng.randint(0, 60), 40, rng.randint(60, 120)))
        x += 18 if char != " " else 8
    out = io.BytesIO()
    picture.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
