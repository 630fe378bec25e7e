"""Areas, departments, users and their roles, API tokens, the audit trail and login failures."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import AuditedModel
from .base import DomainModel, DomainQuerySet
from .fields import EncryptedBinaryField
from .roles import Role, permissions_of, scopes_of
from .visibility import ScopedQuerySet, ScopingSpec

PATH_SEPARATOR = "/"


def ancestors(path: str) -> list[str]:
    """The paths above an area's path: "/d/t/n/" -> ["/d/", "/d/t/"]."""
    parts = path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
    return [PATH_SEPARATOR + PATH_SEPARATOR.join(parts[:n]) + PATH_SEPARATOR for n in range(1, len(parts))]


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    GRID = "grid", _("Grid")


class AreaQuerySet(DomainQuerySet):
    def subtree(self, area: "Area") -> "AreaQuerySet":
        """The area and everything under it, in one indexed prefix query."""
        return self.filter(path__startswith=area.path)

    def choosable_by(self, user) -> "AreaQuerySet":
        """Areas a user may place new work in: their own; a department officer any of their department's
        town, since their rule is the department (a market office inspects and raises orders town-wide)."""
        from .roles import Scope

        if Scope.DEPARTMENT in user.scopes and Scope.ALL not in user.scopes:
            return self.visible_to(user) | self.in_towns(user.town_ids)
        return self.visible_to(user)

    def in_towns(self, town_ids) -> "AreaQuerySet":
        """The areas of these towns (the towns themselves included)."""
        condition = models.Q(pk__in=[])
        for path in Area.objects.filter(pk__in=town_ids).values_list("path", flat=True):
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)


class Area(DomainModel):
    """A node of the area tree. `path` is the materialised chain of codes from the root."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "self"
        administered = True

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class whatever the collation.
            models.Index(fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "path"], name="area_level_path"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(code=""), name="area_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent else PATH_SEPARATOR) + self.code + PATH_SEPARATOR
        self.depth = self.path.count(PATH_SEPARATOR) - 2  # the root is depth 0
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved or re-coded: rewrite every descendant's path in one statement.
            Area.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1)),
            )

    @property
    def full_name(self) -> str:
        names = dict(Area.objects.filter(code__in=self.path.strip("/").split("/")).values_list("code", "name"))
        return " / ".join(names[c] for c in self.path.strip("/").split("/") if c in names)


class DepartmentQuerySet(DomainQuerySet):
    def choosable_by(self, user) -> "DepartmentQuerySet":
        """Departments serve their whole town: anyone of the town may name an active one (a task force, a
        routing); nobody names another town's (docs/TOWNS.md)."""
        return self.visible_to(user).filter(is_active=True)


class Department(DomainModel):
    """A functional unit (条) of one town: an office, the police station, the health centre."""

    town = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.PROTECT, related_name="departments",
                             limit_choices_to={"level": AreaLevel.TOWN})
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Market supervision, the law-enforcement team, the police: a team that orders rectification or a
    # shutdown must include someone from one of these.
    is_enforcement = models.BooleanField(_("enforcement unit"), default=False)

    objects = DepartmentQuerySet.as_manager()

    class Scoping(ScopingSpec):
        town = "town"

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["town_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="department_town_code",
                                    violation_error_message=_("This town already has a department with this code.")),
            models.UniqueConstraint(fields=["town", "name"], name="department_town_name",
                                    violation_error_message=_("This town already has a department with this name.")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.town_id and self.town.level != AreaLevel.TOWN:
            raise ValidationError({"town": _("A department belongs to a town.")})


class UserQuerySet(DomainQuerySet):
    def choosable_by(self, user) -> "UserQuerySet":
        """People a user may name (a team member, an assignee, a road chief, a family doctor): active
        staff who work in the user's areas, under or above them, and departments' staff, who serve the
        whole town. An administrator or a department officer (town-wide by their rule) may name anyone."""
        from .roles import Scope

        active = self.filter(is_active=True)
        if Scope.ALL in user.scopes:
            return active
        if Scope.DEPARTMENT in user.scopes:
            return active.filter(pk__in=User._base_manager.filter(town_members(user.town_ids)).values("pk"))
        condition = models.Q(departments__town__in=user.town_ids)
        for path in user.area_paths:
            condition |= models.Q(areas__path__startswith=path) | models.Q(areas__path__in=ancestors(path))
        return active.filter(pk__in=User._base_manager.filter(condition).values("pk"))


def town_members(town_ids) -> models.Q:
    """Staff of these towns: a department of theirs, or an area in (or above) one of them."""
    towns = Area.objects.filter(pk__in=town_ids)
    condition = models.Q(departments__town__in=town_ids)
    for path in towns.values_list("path", flat=True):
        condition |= models.Q(areas__path__startswith=path)
    return condition


class WanggeUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser, AuditedModel):
    """A member of staff: departments (条), areas (块) and one or more roles."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), blank=True,
                                         related_name="members")
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="staff")
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = WanggeUserManager()
    AUDIT_EXTRA_LABELS = {"roles": _("roles")}

    class Scoping(ScopingSpec):
        area = "areas"
        department = "departments"
        administered = True

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> set[str]:
        if self.is_superuser:
            return {Role.ADMIN}
        return set(self.role_assignments.values_list("role", flat=True))

    @cached_property
    def scopes(self) -> set[str]:
        return scopes_of(self.roles)

    @cached_property
    def permissions(self) -> set[str]:
        return permissions_of(self.roles)

    @cached_property
    def area_paths(self) -> list[str]:
        return list(self.areas.values_list("path", flat=True))

    @property
    def area_ids_below(self) -> list[int]:
        """Every area in the user's subtrees (their own included): what `visible_to` filters by."""
        return self._areas_below()[0]

    @property
    def sees_every_area(self) -> bool:
        """The user's subtrees hold every area there is (a district's leader)."""
        return self._areas_below()[1]

    def _areas_below(self) -> tuple[list[int], bool]:
        # One query of the area tree (a district has about 1,200 areas), kept beside the paths it came
        # from, so whoever refreshes `area_paths` refreshes this too.
        paths = tuple(self.area_paths)
        cached = self.__dict__.get("_area_tree")
        if cached is None or cached[0] != paths:
            tree = Area.objects.order_by().values_list("pk", "path") if paths else []
            every = [pk for pk, path in tree]
            below = [pk for pk, path in tree if path.startswith(paths)]
            self.__dict__["_area_tree"] = cached = (paths, (below, bool(below) and len(below) == len(every)))
        return cached[1]

    @cached_property
    def department_ids(self) -> list[int]:
        return list(self.departments.values_list("pk", flat=True))

    @cached_property
    def town_ids(self) -> list[int]:
        """The towns the user works in: those of their areas (the towns above an area, and under a
        district's) and of their departments. Their departments, routes and staff are the user's."""
        condition = models.Q(departments__members=self) if self.pk else models.Q(pk__in=[])
        for path in self.area_paths:
            condition |= models.Q(path__startswith=path) | models.Q(path__in=ancestors(path))
        return list(Area.objects.filter(condition, level=AreaLevel.TOWN).order_by("path").values_list(
            "pk", flat=True).distinct())

    @cached_property
    def town_area_ids(self) -> list[int]:
        """Every area of the user's towns: a department officer's rows lie in these (visibility.py)."""
        return list(Area.objects.in_towns(self.town_ids).order_by().values_list("pk", flat=True))

    def can(self, perm: str) -> bool:
        return self.is_active and perm in self.permissions

    @classmethod
    def audit_choices(cls) -> dict:
        return {"roles": Role.choices}

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles)]


class UserRole(AuditedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = "wg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[3:11], key_hash=cls.hash(raw))
        return token, raw


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    REVEAL = "reveal", _("Revealed in full")
    EXPORT = "export", _("Exported")
    PURGE = "purge", _("Anonymised after retention")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit trail is append-only")

    def delete(self):
        raise PermissionError("the audit trail is append-only")

    def for_object(self, obj) -> "AuditEntryQuerySet":
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One append-only line of the trail. Nothing updates or deletes it (PostgreSQL refuses too)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, verbose_name=_("actor"), null=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_name = models.CharField(_("actor"), max_length=150)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(_("changes"), default=dict)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_time"),
            models.Index(fields=["action", "-at"], name="audit_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class LoginFailure(models.Model):
    """A failed sign-in; enough of them in the window locks the account (see core/throttle.py)."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="login_failure_user_time"),
                   models.Index(fields=["ip", "at"], name="login_failure_ip_time")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class ImportDigest(models.Model):
    """What a ledger row last imported into a record was: a keyed digest of the row's cells (and of the
    reference data its cleaning read), and the record's version once written. A row of a later file with
    the same digest, whose record the importer sees still at that version, is unchanged without being
    cleaned or compared (tabular/digests.py). Bookkeeping of the importer, not a domain record: not
    audited, and holding nothing personal (the digest is keyed: core/crypto.py::keyed_blake2b)."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    digest = models.BinaryField(max_length=16)
    version = models.PositiveIntegerField()
    # The ImportFile whose import last wrote this digest (a plain id: dropping an ImportFile must not
    # rewrite a hundred thousand rows). Null for digests stored before files were recognised.
    file = models.PositiveBigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="import_digest_once")]
        indexes = [
            # The look-up by digest reads the index alone (record id and version in it): half the time of
            # going to the table for them, on 100,000 rows.
            models.Index(fields=["kind", "digest", "object_id", "version"], name="import_digest_lookup"),
            # A whole file's rows counted by the file, from the index alone (digests.recognised_file).
            models.Index(fields=["kind", "file", "object_id", "version"], name="import_digest_file"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ImportFile(models.Model):
    """A file imported whole: a keyed digest of its bytes (with what decides how its rows clean: the kind's
    columns and `generation`) and what its import counted. The same bytes again, while every row's digest
    still carries this file's id (ImportDigest.file: written by an import of these bytes) and its record is
    still at the version it left, are unchanged without being read (tabular/digests.py::recognised_file);
    other bytes of the same rows, by `content`. Bookkeeping, nothing personal."""

    kind = models.CharField(max_length=32)
    digest = models.BinaryField(max_length=16)
    # The keyed digest of its rows (their fingerprint, whatever the bytes: digests.py::content_digest), which
    # tells the same rows saved again; empty for a file imported before it was kept.
    content = models.BinaryField(max_length=16, null=True)
    rows = models.PositiveIntegerField(default=0)  # rows imported (ImportResult.total)
    skipped_example = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "digest"], name="import_file_once")]
        indexes = [models.Index(fields=["kind", "content"], name="import_file_content")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Has errors")


class JobState(models.Model):
    """What every kind of job records of its run: when, its state, its progress (live progress is read
    outside the database while it runs: progress.py)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Touched as the job progresses: a running job whose heartbeat stopped belonged to a process that
    # died, and is marked interrupted (mark_interrupted in jobs.py, export_jobs.py, background.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return 100 if self.status in (ImportStatus.DONE, ImportStatus.FAILED) else (
            100 * self.done // self.total if self.total else 0)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportJob(JobState):
    """One upload of a ledger file, checked (dry run) or imported, with its progress and outcome.

    The file lives in the database so any app process (or a worker) can run it, encrypted like every
    personal field (it holds ID and phone numbers), and only as long as needed: jobs.py clears it when
    an import ends or a check fails, the nightly purge clears a checked file not imported within a day
    and the error report after `import_files` days (docs/PRIVACY.md).
    """

    kind = models.CharField(_("ledger"), max_length=32)
    filename = models.CharField(_("file"), max_length=255)
    data = EncryptedBinaryField()
    dry_run = models.BooleanField(_("check only"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)  # the first 500 cell errors, for the page
    report = EncryptedBinaryField(null=True)  # the full error report (.xlsx): the uploader's values
    checked = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        owner = "created_by"

    # Operational state, not a domain record: its progress updates are not audited (the rows it imports are).
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_owner_time")]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.filename}"

    @property
    def kind_label(self) -> str:
        """The ledger's name in the UI (the kind is its code)."""
        from .tabular.kinds import get_kind

        try:
            return str(get_kind(self.kind).label)
        except KeyError:
            return self.kind



class ExportJob(JobState):
    """A whole-list export too long for the request (more than EXPORT_INLINE_MAX_ROWS rows): built by
    a worker (export_jobs.py) into a file in the storage (exports/…), downloaded through the page by
    the one who asked (it may hold unmasked personal data), deleted after `export_files` days."""

    kind = models.CharField(_("ledger"), max_length=32)
    fmt = models.CharField(_("format"), max_length=4)
    params = models.JSONField(default=dict)  # the list's filters, as the query string gave them
    unmasked = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file = models.CharField(max_length=200, blank=True)  # the name in the storage; empty once deleted
    error = models.CharField(max_length=300, blank=True)

    class Scoping(ScopingSpec):
        owner = "created_by"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="export_owner_time"),
                   models.Index(fields=["status", "created_at"], name="export_status_time")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt}"

    kind_label = ImportJob.kind_label


class BackgroundJob(JobState):
    """Long work other than imports and exports — a brief or review, `generate`, the purge, key rotation —
    as it runs in a worker (background.py): who asked (no one: a command or the schedule), its state, its
    progress, what it said and what it made. Operational state, not a domain record: not audited (what
    the work changes is)."""

    kind = models.CharField(_("kind"), max_length=32)
    params = models.JSONField(default=dict)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    messages = models.JSONField(default=list)  # what the work said as it went, in the UI's language
    result = models.JSONField(default=dict)  # what it made: {"brief": pk}, counts …
    error = models.CharField(max_length=300, blank=True)

    class Scoping(ScopingSpec):
        owner = "created_by"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="background_owner_time"),
                   models.Index(fields=["status", "created_at"], name="background_status_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def kind_label(self) -> str:
        from .background import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind
