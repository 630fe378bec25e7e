"""makemessages that also extracts `_l("...")` (gettext_lazy) as used in ledger column definitions."""

from django.core.management.commands.makemessages import Command as BaseMakeMessages


class Command(BaseMakeMessages):
    xgettext_options = [*BaseMakeMessages.xgettext_options, "--keyword=_l"]
