"""`wangge backup` and `wangge restore`: a round trip on the database the suite runs on (SQLite or
PostgreSQL), and a damaged backup is refused without touching the data."""

import pytest
from django.core.management import CommandError, call_command

from wangge.core.models import Area, AuditEntry
from wangge.places.models import Premises

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_and_restore_round_trip(world, tmp_path):
    target = tmp_path / "wangge.backup"
    before = (Area.objects.count(), Premises.objects.count(), AuditEntry.objects.count())
    call_command("backup", output=str(target))
    assert target.stat().st_size > 0
    # Damage after the backup: a premises deleted, an area renamed.
    Premises.objects.filter(pk=world.premises["beihong2"].pk).delete()
    Area.objects.filter(pk=world.grids["linquan1"].pk).update(name="改错的名字")
    call_command("restore", str(target), yes=True)
    assert (Area.objects.count(), Premises.objects.count(), AuditEntry.objects.count()) == before
    assert Area.objects.get(pk=world.grids["linquan1"].pk).name == "林泉第1网格"
    # Encrypted personal data comes back readable with the same keys.
    from wangge.community.models import Resident

    assert Resident.objects.get(pk=world.residents["linquan1"].pk).phone == "13912345678"


def test_a_damaged_backup_is_refused_and_changes_nothing(world, tmp_path):
    broken = tmp_path / "broken.backup"
    broken.write_bytes(b"not a database at all" * 100)
    count = Premises.objects.count()
    with pytest.raises(CommandError):
        call_command("restore", str(broken), yes=True)
    assert Premises.objects.count() == count
