"""Pydantic field types for the API that run our Chinese validators and never echo the value."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import BeforeValidator, WithJsonSchema

from .validators import normalise, validate_credit_code, validate_id_number, validate_phone


def _run(validator, optional: bool):
    def check(value):
        if value is None or (optional and not normalise(str(value))):
            return None if value is None else ""
        try:
            return validator(str(value))
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    return check


IdNumber = Annotated[str, BeforeValidator(_run(validate_id_number, optional=False))]
Phone = Annotated[str, BeforeValidator(_run(validate_phone, optional=True))]
CreditCode = Annotated[str, BeforeValidator(_run(validate_credit_code, optional=True))]

# A local time of day (opening hours): "20:00" in, "20:00:00" out. Declared as a pattern, because the
# JSON Schema format "time" means an RFC 3339 time with a UTC offset, which these are not.
LocalTime = Annotated[datetime.time, WithJsonSchema(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "examples": ["20:00"]})]
