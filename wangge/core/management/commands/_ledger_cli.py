"""Shared bits of the ledger commands: choosing a kind and the acting user."""

from django.core.management import CommandError

from wangge.core.models import User, UserRole
from wangge.core.roles import Role
from wangge.core.tabular.kinds import all_kinds, get_kind


def kind_argument(parser) -> None:
    parser.add_argument("kind", help="ledger kind: " + ", ".join(k.name for k in all_kinds()))


def kind_or_error(name: str):
    try:
        return get_kind(name)
    except KeyError:
        raise CommandError(f"unknown kind {name!r}; known: {', '.join(k.name for k in all_kinds())}") from None


def actor_or_error(username: str | None) -> User:
    """The user the command acts as: --user, else the first active administrator."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user
    admin_ids = UserRole.objects.filter(role=Role.ADMIN).values("user_id")
    user = (User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
            or User.objects.filter(is_active=True, pk__in=admin_ids).order_by("pk").first())
    if user is None:
        raise CommandError("no administrator to act as: create one (wangge createsuperuser) or pass --user")
    return user
