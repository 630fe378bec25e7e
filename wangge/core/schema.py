"""Pydantic field types for the API that run our Chinese validators and never echo the value."""

from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import BeforeValidator

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
