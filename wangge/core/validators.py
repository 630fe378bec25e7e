"""Chinese identifiers. Messages never echo the value in full (they may reach a page or a log)."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
SHANGHAI_LANDLINE = re.compile(r"^021-?\d{8}$")

# GB 32100 unified social credit code: 31 characters (no I, O, S, V, Z), each worth its position.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 organisation code: 8 digits or capital letters (A=10 ... Z=35) and a check character.
ORGANISATION_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# re.ASCII: \d is 0-9 only (NFKC folds full-width digits, but not e.g. Arabic-Indic ones).
# What people type for a mobile: an optional +86 country code, then 11 digits.
_MOBILE_INPUT = re.compile(r"^(?:\+86-?)?(1[3-9]\d{9})$", re.ASCII)
# What people type for a Shanghai landline: 021-12345678, 02112345678, (021)12345678,
# and the international forms +86-21-12345678 / +8602112345678.
_LANDLINE_INPUT = re.compile(r"^(?:\+86-?(?:\(0?21\)|0?21)|\(021\)|021)-?(\d{8})$", re.ASCII)


def normalise(value: str) -> str:
    """Full-width to half-width, no white space: what people paste from Excel and WeChat."""
    if not value:
        return ""
    if value.isascii() and value.isalnum():  # the common case in a ledger: nothing to do
        return value
    if unicodedata.is_normalized("NFKC", value):  # a quick check in C: most Chinese text already is
        return _WHITE_SPACE.sub("", value) if _HAS_WHITE_SPACE(value) else value
    return _WHITE_SPACE.sub("", unicodedata.normalize("NFKC", value))


_WHITE_SPACE = re.compile(r"\s+")
_HAS_WHITE_SPACE = re.compile(r"\s").search


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_id_number(value: str) -> str:
    """GB 11643 resident ID: returns the normalised number or raises with a Chinese message."""
    value = normalise(value).upper()
    if len(value) == 15 and value.isdecimal():
        # Refused on purpose, not converted: converting would invent the century ("19") and the check
        # digit, i.e. produce an 18-digit number nobody was ever issued. Ask for the real one instead.
        raise ValidationError(_("This is an old 15-digit ID number; enter the 18-digit one."), code="id_old")
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdecimal()) or value[17] not in "0123456789X":
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="id_format")
    try:
        born = id_birth_date(value)
    except ValueError:
        raise ValidationError(_("The birth date inside the ID number is not a real date."),
                              code="id_birth") from None
    if born > timezone.localdate() or born.year < 1890:
        raise ValidationError(_("The birth date inside the ID number is not possible."), code="id_birth")
    if id_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of the ID number is wrong."), code="id_check")
    return value


def sex_from_id_number(value: str) -> str:
    return "male" if int(value[16]) % 2 else "female"


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100) from the first 17.

    Raises ValueError if first17 is not 17 characters of CREDIT_ALPHABET (callers validate first).
    """
    if len(first17) != 17:
        raise ValueError("a credit code body has 17 characters")
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def organisation_code_check_character(first8: str) -> str:
    """The 9th character of a GB 11714 organisation code (the one a credit code embeds at positions
    9-17) from the first 8: 11 - (weighted sum mod 11), where 10 is written X and 11 is written 0.

    Raises ValueError if first8 is not 8 characters of ORGANISATION_ALPHABET.
    """
    if len(first8) != 8 or any(c not in ORGANISATION_ALPHABET for c in first8):
        raise ValueError("an organisation code body has 8 digits or capital letters")
    total = sum(ORGANISATION_ALPHABET.index(c) * w for c, w in zip(first8, ORGANISATION_WEIGHTS, strict=True))
    return "0123456789X0"[11 - total % 11]


def validate_organisation_code(value: str) -> str:
    """GB 11714 organisation code (组织机构代码, on licences issued before the credit code): returns the
    9 characters without the hyphen (12345678-9 -> 123456789) or raises."""
    value = normalise(value).upper()
    if len(value) == 10 and value[8] == "-":
        value = value[:8] + value[9]
    if len(value) != 9 or any(c not in ORGANISATION_ALPHABET for c in value[:8]) or value[8] not in "0123456789X":
        raise ValidationError(_("An organisation code has 9 characters: 8 digits or capital letters and a check "
                                "character."), code="organisation_format")
    if organisation_code_check_character(value[:8]) != value[8]:
        raise ValidationError(_("The check character of the organisation code is wrong."),
                              code="organisation_check")
    return value


def validate_credit_code(value: str) -> str:
    """GB 32100 unified social credit code: returns the normalised (upper-case) code or raises.

    Only the code's own check character (position 18) is verified. Positions 9-17 embed a GB 11714
    organisation code with a check character of its own, which is deliberately not verified: registries
    have issued codes whose inner check is not always enforced, and refusing a code printed on a real
    business licence helps nobody.
    """
    value = normalise(value).upper()
    if len(value) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_length")
    if any(c not in CREDIT_ALPHABET for c in value):
        raise ValidationError(
            _("A unified social credit code uses only digits and capital letters other than I, O, S, V and Z."),
            code="credit_character")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of the unified social credit code is wrong."),
                              code="credit_check")
    return value


def _mobile(value: str) -> str | None:
    match = _MOBILE_INPUT.match(value)
    return match.group(1) if match else None


def _landline(value: str) -> str | None:
    match = _LANDLINE_INPUT.match(value)
    return "021" + match.group(1) if match else None


def validate_mobile(value: str) -> str:
    """A mainland mobile number: returns the 11 digits (no +86, no separators) or raises."""
    number = _mobile(normalise(value))
    if number is None:
        raise ValidationError(_("Enter an 11-digit mobile number."), code="mobile_format")
    return number


def validate_landline(value: str) -> str:
    """A Shanghai landline: returns "021" + 8 digits without separators or raises."""
    number = _landline(normalise(value))
    if number is None:
        raise ValidationError(_("Enter a Shanghai landline number: 021 followed by 8 digits."),
                              code="landline_format")
    return number


def validate_phone(value: str) -> str:
    """A mainland mobile number or a Shanghai landline (021 + 8 digits)."""
    value = normalise(value)
    # "+86" followed by the domestic landline form (+8602112345678) was always accepted here; keep it.
    number = _mobile(value) or _landline(value) or _landline(value.removeprefix("+86"))
    if number is None:
        raise ValidationError(_("Enter an 11-digit mobile number or a Shanghai landline (021 + 8 digits)."),
                              code="phone_format")
    return number


@dataclass(frozen=True)
class Address:
    """A Chinese street address split into parts. raw is always set; parts are "" when absent."""

    raw: str
    road: str = ""
    lane: str = ""
    number: str = ""
    building: str = ""
    room: str = ""


# Longer than any real address: beyond this we do not try (keeps the regexes cheap on garbage).
ADDRESS_MAX_LENGTH = 200
ROAD_SUFFIXES = ("公路", "大道", "路", "街", "道")
_ADDRESS = re.compile(
    r"(?P<head>\D+?(?:公路|大道|路|街|道))"  # [administrative prefix] + road, no digits
    r"(?:(?P<lane>\d+)弄)?"
    r"(?P<number>\d+(?:-\d+)?)号"
    r"(?:(?P<building>[0-9A-Za-z]+)(?:幢|座|栋|号楼))?"
    r"(?:-?(?P<room>\d+)室?)?",
    re.ASCII,  # \d is 0-9 only: NFKC has already folded full-width digits
)
# Province / city / district / county / town / township / subdistrict, shortest first.
_ADMIN_PREFIX = re.compile(r".+?(?:省|自治区|市|区|县|镇|乡|街道)")


def _strip_admin_prefix(head: str) -> str:
    """上海市长宁区新泾镇仙霞西路 -> 仙霞西路. Stops before it would eat into the road name itself
    (江镇路 stays 江镇路: a road is at least one character plus its suffix)."""
    road = head
    while match := _ADMIN_PREFIX.match(road):
        rest = road[match.end():]
        if len(rest) < 2 or not rest.endswith(ROAD_SUFFIXES):
            break
        road = rest
    return road


def parse_address(value: str) -> Address:
    """Split 路/街/道 + [NNN弄] + NNN号 + [N幢/座/栋/号楼] + [NNN室 or trailing NNN]. Never raises:
    anything else comes back with raw (NFKC, no white space) and empty parts."""
    raw = normalise(value if isinstance(value, str) else "")
    if len(raw) > ADDRESS_MAX_LENGTH:
        return Address(raw=raw)
    match = _ADDRESS.fullmatch(raw)
    if match is None:
        return Address(raw=raw)
    return Address(
        raw=raw,
        road=_strip_admin_prefix(match["head"]),
        lane=match["lane"] or "",
        number=match["number"],
        building=match["building"] or "",
        room=match["room"] or "",
    )
