"""`wangge export_person --id-number N --reason R -o FILE.xlsx|FILE.json [--user U]`: everything Wangge
holds about one resident, on their request (PIPL Art. 45); logged in the access log."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError

from wangge.core import crypto, privacy
from wangge.core.management.base import WanggeCommand
from wangge.core.validators import normalise

from ._ledger_cli import actor_or_error


class Command(WanggeCommand):
    help = "Export everything held about one resident (unmasked), logged with the reason."

    def add_arguments(self, parser):
        parser.add_argument("--id-number", required=True)
        parser.add_argument("--reason", required=True, help="why (logged), e.g. the request's reference")
        parser.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.json")
        parser.add_argument("--user", help="act as this user (default: the first administrator)")

    def handle(self, *args, id_number, reason, output, user=None, **options):
        from wangge.community.models import Resident

        if not output.lower().endswith((".xlsx", ".json")):
            raise CommandError("the output must end in .xlsx or .json")
        actor = actor_or_error(user)
        key = crypto.keyed_hash(normalise(id_number))
        resident = Resident.objects.visible_to(actor).filter(id_number_hash=key).first()
        if resident is None:
            raise CommandError("no resident with this ID number that this user may see")
        try:
            body, _fmt = privacy.export_person(actor, resident, reason, fmt=output.lower().rsplit(".", 1)[1])
        except PermissionDenied:
            raise CommandError("this user may not reveal personal data") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        Path(output).write_bytes(body)
        self.stdout.write(f"exported {resident.pk} to {output}")
