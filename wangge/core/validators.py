"""Chinese identifiers. Messages never echo the value in full (they may reach a page or a log)."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
SHANGHAI_LANDLINE = re.compile(r"^021-?\d{8}$")


def normalise(value: str) -> str:
    """Full-width to half-width, no white space: what people paste from Excel and WeChat."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_id_number(value: str) -> str:
    """GB 11643 resident ID: returns the normalised number or raises with a Chinese message."""
    value = normalise(value).upper()
    if len(value) == 15 and value.isdigit():
        raise ValidationError(_("This is an old 15-digit ID number; enter the 18-digit one."), code="id_old")
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
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


def validate_phone(value: str) -> str:
    """A mainland mobile number or a Shanghai landline (021 + 8 digits)."""
    value = normalise(value).removeprefix("+86")
    if MOBILE.match(value):
        return value
    if SHANGHAI_LANDLINE.match(value):
        return value.replace("-", "")
    raise ValidationError(_("Enter an 11-digit mobile number or a Shanghai landline (021 + 8 digits)."),
                          code="phone_format")
