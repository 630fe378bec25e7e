"""`wangge token create USERNAME [--name N]` prints a new API token; `wangge token revoke` removes."""

from django.core.management import CommandError

from wangge.core.management.base import WanggeCommand
from wangge.core.models import ApiToken, User


class Command(WanggeCommand):
    help = "Create or revoke API bearer tokens (only their hash is stored)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for USERNAME")
        create.add_argument("username")
        create.add_argument("--name", default="")
        revoke = sub.add_parser("revoke", help="remove tokens")
        revoke.add_argument("username", help="whose tokens")
        revoke.add_argument("--prefix", help="only the token whose first 8 characters after wg_ are these")
        sub.add_parser("list", help="list tokens (prefixes only)")

    def handle(self, *args, action, **options):
        if action == "list":
            for token in ApiToken.objects.select_related("user").order_by("user__username", "created_at"):
                self.stdout.write(f"{token.user.username}\t{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d}")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        if action == "create":
            if not user.is_active:
                raise CommandError("the user is deactivated")
            _, raw = ApiToken.issue(user, options["name"])
            self.stdout.write(raw)
            return
        tokens = user.api_tokens.all()
        if options.get("prefix"):
            tokens = tokens.filter(prefix=options["prefix"])
        count, _ = tokens.delete()
        self.stdout.write(f"revoked {count} token(s)")
