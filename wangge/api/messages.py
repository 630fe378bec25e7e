"""Validation messages of the API in the user's language, field by field.

Pydantic writes its messages in English ("Field required", "Input should be a valid integer"); the
API answers in the language of the request (Chinese unless the user chose English), so each kind of
error pydantic reports is worded here through gettext, with its limits. Our own validators' messages
(value_error, out_of_scope) are translated where they are raised.
"""

from django.utils.translation import gettext as _

MESSAGES = {
    "missing": lambda c: _("This field is required."),
    "int_parsing": lambda c: _("Enter a whole number."),
    "int_type": lambda c: _("Enter a whole number."),
    "int_from_float": lambda c: _("Enter a whole number."),
    "float_parsing": lambda c: _("Enter a number."),
    "float_type": lambda c: _("Enter a number."),
    "decimal_parsing": lambda c: _("Enter a number."),
    "decimal_type": lambda c: _("Enter a number."),
    "decimal_max_digits": lambda c: _("Enter a number with at most %(n)s digits.") % {"n": c.get("max_digits")},
    "decimal_max_places": lambda c: _("Enter a number with at most %(n)s decimal places.") % {
        "n": c.get("decimal_places")},
    "decimal_whole_digits": lambda c: _("Enter a smaller number."),
    "finite_number": lambda c: _("Enter a number."),
    "bool_parsing": lambda c: _("Enter true or false."),
    "bool_type": lambda c: _("Enter true or false."),
    "string_type": lambda c: _("Enter text."),
    "string_unicode": lambda c: _("Enter text."),
    "string_too_short": lambda c: _("Enter at least %(n)s characters.") % {"n": c.get("min_length")},
    "string_too_long": lambda c: _("Enter at most %(n)s characters.") % {"n": c.get("max_length")},
    "string_pattern_mismatch": lambda c: _("The format is not valid."),
    "greater_than_equal": lambda c: _("Enter a value of at least %(n)s.") % {"n": c.get("ge")},
    "greater_than": lambda c: _("Enter a value greater than %(n)s.") % {"n": c.get("gt")},
    "less_than_equal": lambda c: _("Enter a value of at most %(n)s.") % {"n": c.get("le")},
    "less_than": lambda c: _("Enter a value less than %(n)s.") % {"n": c.get("lt")},
    "enum": lambda c: _("Choose one of: %(choices)s.") % {"choices": c.get("expected", "")},
    "literal_error": lambda c: _("Choose one of: %(choices)s.") % {"choices": c.get("expected", "")},
    "date_parsing": lambda c: _("Enter a date such as 2022-07-12."),
    "date_from_datetime_parsing": lambda c: _("Enter a date such as 2022-07-12."),
    "date_from_datetime_inexact": lambda c: _("Enter a date such as 2022-07-12."),
    "date_type": lambda c: _("Enter a date such as 2022-07-12."),
    "datetime_parsing": lambda c: _("Enter a date and time such as 2022-07-12T10:00:00+08:00."),
    "datetime_from_date_parsing": lambda c: _("Enter a date and time such as 2022-07-12T10:00:00+08:00."),
    "datetime_type": lambda c: _("Enter a date and time such as 2022-07-12T10:00:00+08:00."),
    "time_parsing": lambda c: _("Enter a time such as 20:00."),
    "time_type": lambda c: _("Enter a time such as 20:00."),
    "uuid_parsing": lambda c: _("Enter the unique id the client generated (a UUID)."),
    "uuid_type": lambda c: _("Enter the unique id the client generated (a UUID)."),
    "uuid_version": lambda c: _("Enter the unique id the client generated (a UUID)."),
    "list_type": lambda c: _("Send a list here."),
    "tuple_type": lambda c: _("Send a list here."),
    "set_type": lambda c: _("Send a list here."),
    "too_short": lambda c: _("Give at least %(n)s.") % {"n": c.get("min_length")},
    "too_long": lambda c: _("Give at most %(n)s.") % {"n": c.get("max_length")},
    "dict_type": lambda c: _("Send an object here."),
    "model_type": lambda c: _("Send an object here."),
    "model_attributes_type": lambda c: _("Send an object here."),
    "extra_forbidden": lambda c: _("This field is not accepted."),
    "json_invalid": lambda c: _("The request body is not valid JSON."),
    "json_type": lambda c: _("The request body is not valid JSON."),
}


def message(error: dict) -> str:
    """The message for one pydantic error, in the active language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind](ctx)
    if kind in ("value_error", "assertion_error", "out_of_scope"):
        # Our own validators' words, already translated where raised.
        return _(str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, "))
    return _("This value is not valid.")
