from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """A password needs letters and digits, so that a long number or a word alone is refused."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdecimal() for c in password)):
            raise ValidationError(_("The password must contain both letters and digits."),
                                  code="password_not_mixed")

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
