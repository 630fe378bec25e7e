"""The personal-data life cycle (PIPL Art. 19, 45, 47): what kinds of personal data Wangge keeps, why,
for how long, how `wangge purge` anonymises what has expired, and what a resident's export holds.

Each app declares its kinds and its sections of a person's export in its own `privacy.py`:

    register_kind(PersonalDataKind(code="care_visit_notes", label=_l("..."), purpose=_l("..."),
                                   legal_basis=_l("..."), expired=expired_visits, anonymise=clear_visits))
    register_section(PersonSection("care_visits", _l("Care visits"), visits_of))

`expired(cutoff)` returns the queryset of rows past their retention that still hold personal data
(so a second purge finds nothing), `anonymise(queryset)` clears them and returns the count. Retention
is `settings.PERSONAL_DATA_RETENTION[code]` days (docs/PRIVACY.md). Anonymising writes through the
plain manager, not the audited one: the trail must not receive the old values that are being removed;
one summary entry per run records what was done.
"""

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from . import audit

KINDS: dict[str, "PersonalDataKind"] = {}
SECTIONS: dict[str, "PersonSection"] = {}
_discovered = False


@dataclass(frozen=True)
class PersonalDataKind:
    code: str
    label: str
    purpose: str
    legal_basis: str
    expired: Callable  # (cutoff: datetime) -> queryset of rows past retention still holding personal data
    anonymise: Callable  # (queryset) -> number of rows anonymised
    default_days: int | None = None  # when PERSONAL_DATA_RETENTION has no entry for the code
    retention_setting: str = "PERSONAL_DATA_RETENTION"

    @property
    def days(self) -> int:
        days = getattr(settings, self.retention_setting, {}).get(self.code, self.default_days)
        if days is None:
            raise ImproperlyConfigured(f"{self.retention_setting} has no retention for {self.code!r}")
        return int(days)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        return now - datetime.timedelta(days=self.days)


@dataclass(frozen=True)
class PersonSection:
    """One sheet of a person's export: `rows(resident, actor)` -> list of {heading: value}."""

    code: str
    label: str
    rows: Callable
    order: int = 50
    perm: str | None = None  # a permission the exporting user needs besides reveal (health facts)


def reads_health_text(user) -> bool:
    """Who reads what a visitor wrote about a person's health (a care visit's medical need, and every copy
    of it, such as the work order it opened): roles that may reveal personal data or see health facts."""
    from .roles import Perm

    return bool(user and user.is_authenticated) and (user.can(Perm.REVEAL_PERSONAL) or user.can(Perm.VIEW_HEALTH))


def register_kind(kind: PersonalDataKind) -> PersonalDataKind:
    KINDS[kind.code] = kind
    return kind


def register_section(section: PersonSection) -> PersonSection:
    SECTIONS[section.code] = section
    return section


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("privacy")
        _discovered = True


def kinds() -> list[PersonalDataKind]:
    discover()
    return list(KINDS.values())


def sections() -> list[PersonSection]:
    discover()
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.code))


# --- purge ------------------------------------------------------------------------------------------

def purge(*, codes=None, dry_run: bool = False, now: datetime.datetime | None = None, report=None
          ) -> dict[str, int]:
    """Anonymise what has expired, kind by kind (each in its own transaction); return {code: rows}.
    A dry run only counts. One summary entry per run goes to the trail (nothing when nothing expired).
    `report` (a background job's, see background.py) hears each kind as it is done."""
    now = now or timezone.now()
    selected = [k for k in kinds() if codes is None or k.code in codes]
    unknown = set(codes or ()) - {k.code for k in selected}
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    counts = {}
    for kind in selected:
        with transaction.atomic():
            rows = kind.expired(kind.cutoff(now))
            counts[kind.code] = rows.count() if dry_run else kind.anonymise(rows)
        if report is not None:
            report.progress(len(counts), len(selected))
            if counts[kind.code]:
                report.say(_("%(kind)s: %(n)s anonymised") % {"kind": kind.label, "n": counts[kind.code]}
                           if not dry_run else
                           _("%(kind)s: %(n)s would be anonymised") % {"kind": kind.label, "n": counts[kind.code]})
    if not dry_run and any(counts.values()):
        from .models import AuditEntry

        with audit.audit_context():
            audit.record(AuditEntry, "purge", {"counts": counts, "retention_days": {k.code: k.days for k in selected}})
    return counts


def plain(queryset):
    """The same rows through the model's plain manager: a bulk update that leaves no per-row trail
    (the summary entry of the run stands for it)."""
    return queryset.model._base_manager.filter(pk__in=queryset.values("pk"))


# --- export on request ------------------------------------------------------------------------------

def export_person(actor, resident, reason: str, fmt: str = "xlsx") -> tuple[bytes, str]:
    """Everything Wangge holds about one resident, unmasked, one sheet per section; logged like a
    reveal. The caller has checked visibility (404) and the permission to reveal (403)."""
    from . import services
    from .roles import Perm

    services.require(actor, Perm.REVEAL_PERSONAL)
    reason = (reason or "").strip()
    if len(reason) < 2:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Say why you need to see the full value.")})
    with translation.override("zh-hans"):
        data = [(str(s.label), s.code, s.rows(resident, actor) if s.perm is None or actor.can(s.perm) else
                 [{_("withheld"): _("Health facts: ask the community health centre for this part.")}])
                for s in sections()]
        content = _json(data) if fmt == "json" else _workbook(data)
    audit.record(resident, "export", {"reason": reason[:200], "what": "personal data (PIPL Art. 45)",
                                      "format": fmt, "by": actor.get_username()})
    return content, fmt


def row_of(obj, names) -> dict:
    """{field label: shown value} of one record, in the order given: choice labels, names of related
    records, yes/no; protected fields decrypted (this is the person's own copy)."""
    row = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(getattr(type(obj), f"{name}_label", None), property):  # a code with a label elsewhere
            value = getattr(obj, f"{name}_label")
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif value is not None and field.is_relation:
            value = str(value)
        row[str(field.verbose_name)] = value
    return row


def _value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, str | int | float | bool | datetime.date):
        return value
    return str(value)


def _workbook(data) -> bytes:
    from openpyxl import Workbook

    from .tabular.writing import inert

    book = Workbook(write_only=True)
    for label, _code, rows in data:
        sheet = book.create_sheet(label[:31])
        headings = list(dict.fromkeys(h for row in rows for h in row)) or [_("None")]
        sheet.append(headings)
        for row in rows:
            sheet.append([inert(_value(row.get(h))) for h in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _json(data) -> bytes:
    def default(value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    body = {code: {"label": label, "rows": rows} for label, code, rows in data}
    return json.dumps(body, ensure_ascii=False, indent=1, default=default).encode()


# --- the core's own kinds and sections ---------------------------------------------------------------

def _expired_login_failures(cutoff):
    from .models import LoginFailure

    return LoginFailure.objects.filter(at__lt=cutoff)


def _delete(queryset) -> int:
    return queryset.delete()[0]


def _expired_import_files(cutoff):
    from .models import ImportJob

    # Finished jobs only: a running import keeps its file. The uploaded file may hold ID numbers.
    return ImportJob.objects.filter(created_at__lt=cutoff, finished_at__isnull=False).exclude(
        data=b"", report__isnull=True)


def _clear_import_files(queryset) -> int:
    return queryset.update(data=b"", report=None)


def _expired_checked_uploads(cutoff):
    from .models import ImportJob

    # A check that passed keeps its file for the import the uploader confirms; not for longer.
    return ImportJob.objects.filter(created_at__lt=cutoff, finished_at__isnull=False).exclude(data=b"")


def _clear_uploads(queryset) -> int:
    return queryset.update(data=b"")


register_kind(PersonalDataKind(
    code="login_failures", label=_l("Failed sign-ins (user name, IP address)"),
    purpose=_l("Lock an account under a password-guessing attack"),
    legal_basis=_l("Security of the system (PIPL Art. 51)"),
    expired=_expired_login_failures, anonymise=_delete))
register_kind(PersonalDataKind(
    code="import_files", label=_l("Uploaded ledger files and their error reports"),
    purpose=_l("Check and import a ledger; let the uploader read the errors"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13)"),
    expired=_expired_import_files, anonymise=_clear_import_files))
def _expired_exports(cutoff):
    from .export_jobs import expired

    return expired(cutoff)


def _delete_exports(queryset) -> int:
    from .export_jobs import delete_files

    return delete_files(queryset)


register_kind(PersonalDataKind(
    code="export_files", label=_l("Exported list files kept for download"),
    purpose=_l("Hand a long export to the one who asked for it"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13)"),
    expired=_expired_exports, anonymise=_delete_exports))
register_kind(PersonalDataKind(
    code="import_uploads", label=_l("Checked ledger files not yet imported"),
    purpose=_l("Import a checked file without uploading it again"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13)"),
    expired=_expired_checked_uploads, anonymise=_clear_uploads))


def _trail_rows(resident, actor, actions):
    from .models import AuditEntry
    from .trail import trail_of

    if actions is None:  # change records: the readable trail
        return [{_("time"): row["entry"].at, _("actor"): row["entry"].actor_name, _("action"): row["action"],
                 _("changes"): "; ".join(f"{label}: {old if old not in (None, '') else '—'} → "
                                         f"{new if new not in (None, '') else '—'}"
                                         for label, old, new in row["details"])}
                for row in trail_of(resident, limit=10000) if row["entry"].action not in ("reveal", "export")]
    entries = AuditEntry.objects.for_object(resident).filter(action__in=actions).order_by("at", "id")
    return [{_("time"): e.at, _("actor"): e.actor_name, _("action"): e.get_action_display(),
             _("details"): json.dumps(e.changes, ensure_ascii=False)} for e in entries]


register_section(PersonSection("changes", _l("Change records"), lambda r, a: _trail_rows(r, a, None), order=80))
register_section(PersonSection("access", _l("Who accessed the data"),
                               lambda r, a: _trail_rows(r, a, ["reveal", "export"]), order=90))
