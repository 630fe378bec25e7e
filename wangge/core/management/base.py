"""The base of every `wangge` command: a refused permission, a bad value, a missing row or a bad
argument ends in one clear line on stderr and exit status 2 — never a traceback (`--traceback`
still shows one)."""

import sys

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

USAGE_ERROR = 2


class OneLineParser(CommandParser):
    """A bad argument: the one line argparse has to say and where to read more, exit 2."""

    def error(self, message):
        if self.called_from_command_line:
            sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
            sys.exit(USAGE_ERROR)
        raise CommandError(f"Error: {message}", returncode=USAGE_ERROR)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, PermissionDenied):
        return "permission refused: " + (str(exc) or "the acting user (--user) may not do this")
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                             for field, msgs in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


class CleanErrors:
    """Mixed into every command (also those built on Django's own, like makemessages)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineParser  # its subparsers take the same class (CommandParser.add_subparsers)
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            exc.returncode = USAGE_ERROR
            raise
        except (PermissionDenied, ValidationError, ObjectDoesNotExist) as exc:
            raise CommandError(" ".join(_one_line(exc).split()), returncode=USAGE_ERROR) from exc


class WanggeCommand(CleanErrors, BaseCommand):
    pass
