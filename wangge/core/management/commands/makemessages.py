"""makemessages that also extracts `_l("...")` (gettext_lazy) as used in ledger column definitions."""

from django.core.management.commands.makemessages import Command as BaseMakeMessages

from wangge.core.management.base import CleanErrors


class Command(CleanErrors, BaseMakeMessages):
    xgettext_options = [*BaseMakeMessages.xgettext_options, "--keyword=_l"]
