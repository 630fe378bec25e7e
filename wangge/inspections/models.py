"""Inspection campaigns (专项行动): versioned checklists, campaigns with their task force and teams,
one task per premises, the inspections themselves with answers and photos, look-back rounds."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.audit import AuditedModel
from wangge.core.base import DomainModel, DomainQuerySet
from wangge.core.constraints import UniqueUnless
from wangge.core.models import Area, AreaLevel, Department
from wangge.core.visibility import ScopingSpec
from wangge.places.models import Premises, PremisesCategory, RoadSegment
from wangge.workorders.models import WorkOrder

from .choices import (
    CampaignKind,
    CampaignStatus,
    FlagReview,
    InspectionKind,
    ItemKind,
    LadderStep,
    Outcome,
    RiskBand,
    Severity,
    Shift,
    TaskReason,
    TaskState,
)


class Checklist(DomainModel):
    """One revision of a checklist. Revising a checklist that inspections used makes a new revision
    (same code, revision + 1); old inspections keep pointing at theirs."""

    code = models.SlugField(_("code"), max_length=40)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current revision"), default=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    # The unit that enforces this checklist (fire safety → the fire brigade): its rectifications go there.
    department = models.ForeignKey(Department, verbose_name=_("regulating unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("Empty: the unit of the premises category."))

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="checklist_code_revision"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="checklist_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.revision}版）"

    def items_for(self, category_id: int | None) -> list["ChecklistItem"]:
        """The items that apply to a premises of this category, in order."""
        items = list(self.items.prefetch_related("categories"))
        return [i for i in items if i.applies_to(category_id)]


class ChecklistItem(AuditedModel):
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE,
                                  related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable across revisions."))
    text = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # What counts as a violation: answers listed here (yes/no, choice), a number outside
    # [violation_min, violation_max], or a number smaller than another item's (tested < staff).
    violation_values = models.JSONField(_("violating answers"), default=list, blank=True)
    violation_min = models.DecimalField(_("violation below"), max_digits=12, decimal_places=2, null=True, blank=True)
    violation_max = models.DecimalField(_("violation above"), max_digits=12, decimal_places=2, null=True, blank=True)
    at_least_item = models.SlugField(_("violation when smaller than item"), max_length=40, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MAJOR)
    required = models.BooleanField(_("required"), default=True)
    photo_required_when_violated = models.BooleanField(_("photo required when violated"), default=False)
    department = models.ForeignKey(Department, verbose_name=_("regulating unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("Empty: the checklist's unit."))
    categories = models.ManyToManyField(PremisesCategory, verbose_name=_("applies to"), blank=True,
                                        help_text=_("Empty: every category."))

    objects = DomainQuerySet.as_manager()

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="checklist_item_code")]

    def __str__(self) -> str:
        return self.text

    def applies_to(self, category_id: int | None) -> bool:
        ids = [c.pk for c in self.categories.all()]
        return not ids or category_id in ids


class Campaign(DomainModel):
    """A campaign of one town (docs/TOWNS.md): read by the people of that town only; its areas, units and
    people are the town's, and its tasks reach that town's premises only."""

    town = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.PROTECT, related_name="campaigns",
                             limit_choices_to={"level": AreaLevel.TOWN})
    kind = models.CharField(_("kind"), max_length=8, choices=CampaignKind.choices, default=CampaignKind.ROUND)
    parent = models.ForeignKey("self", verbose_name=_("first round"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="lookbacks")
    name = models.CharField(_("name"), max_length=100)
    plan = models.TextField(_("inspection plan"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                  related_name="campaigns")
    categories = models.ManyToManyField(PremisesCategory, verbose_name=_("categories"), blank=True,
                                        help_text=_("Empty: every category."))
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True,
                                   help_text=_("Empty: the whole town."))
    key_only = models.BooleanField(_("key premises only"), default=True)
    departments = models.ManyToManyField(Department, verbose_name=_("task-force units"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("task-force members"), blank=True,
                                     related_name="campaigns")
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    sample_share = models.PositiveSmallIntegerField(
        _("share of compliant premises sampled (%)"), default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    sample_seed = models.PositiveIntegerField(_("sampling seed"), default=2022)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        town = "town"  # the people of its town read the plan; its tasks and inspections are scoped further

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="campaign_period_order",
                                   violation_error_message=_("The campaign must end on or after its first day.")),
        ]

    def __str__(self) -> str:
        return self.name


class Team(DomainModel):
    """Two or more people, one of them from an enforcement unit, working a day or night shift."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="teams")
    name = models.CharField(_("name"), max_length=50)
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="teams")
    segments = models.ManyToManyField(RoadSegment, verbose_name=_("road segments"), blank=True, related_name="+")

    class Scoping(ScopingSpec):
        town = "campaign__town"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["campaign", "shift", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="team_name_in_campaign")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_shift_display()}）"


class TaskQuerySet(DomainQuerySet):
    def open_for(self, user, until):
        """The planned tasks of the user's teams in active campaigns, due by `until` (earlier ones still
        open): "my tasks" on the page, in the API and in the field app's sync."""
        return self.visible_to(user).filter(team__members=user, state=TaskState.PLANNED,
                                            campaign__status=CampaignStatus.ACTIVE, planned_on__lte=until)


class Task(DomainModel):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="tasks")
    premises = models.ForeignKey(Premises, verbose_name=_("premises"), on_delete=models.PROTECT,
                                 related_name="inspection_tasks")
    team = models.ForeignKey(Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="tasks")
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=TaskState.choices, default=TaskState.PLANNED)
    reason = models.CharField(_("reason"), max_length=16, choices=TaskReason.choices, default=TaskReason.SCOPE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    risk = models.PositiveSmallIntegerField(_("risk score"), default=0)  # at planning: the order of visits
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("rectification order"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="inspection_tasks")
    inspection = models.ForeignKey("Inspection", verbose_name=_("inspection"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = TaskQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "premises__grid"
        department = "premises__category__routes__department"
        owner = "premises__segment__chief"
        members = "team__members"

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["planned_on", "shift", "id"]
        constraints = [
            # One routine task per premises and round; re-inspections may follow one another.
            UniqueUnless(fields=["campaign", "premises"], unless=("reason", "reinspection"),
                         name="task_one_per_premises"),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="task_campaign_state"),
            models.Index(fields=["team", "planned_on", "state"], name="task_team_day"),
            models.Index(fields=["premises", "state"], name="task_premises_state"),
        ]

    def __str__(self) -> str:
        return f"{self.premises} · {self.get_shift_display()}"


class InspectionQuerySet(DomainQuerySet):
    def counted(self):
        """What figures count: every inspection but the voided ones (a flagged one counts until voided)."""
        return self.exclude(flag_review=FlagReview.VOIDED)

    def flagged(self):
        """Flagged as implausible, whatever their review."""
        return self.exclude(flag_review="")


class Inspection(DomainModel):
    """One visit of inspectors to one premises: the answers, photos and the outcome. Never edited;
    only its plausibility review (flags, confirmed or voided) is recorded later."""

    client_id = models.UUIDField(_("submission id"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="inspections")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="inspections")
    team = models.ForeignKey(Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="inspections")
    # The subject: a premises (campaigns, suspensions, risk), or any other record with a grid — a
    # compound's gates, a sampling site — through a generic link, so those apps need no FK here.
    premises = models.ForeignKey(Premises, verbose_name=_("premises"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="inspections")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(_("subject"), max_length=200)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="inspections")
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                  related_name="inspections")
    inspected_at = models.DateTimeField(_("inspected at"))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("inspectors"),
                                        related_name="inspections")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The phone's own estimate of its error (metres), kept with the position: a reviewer of a "far from the
    # premises" flag sees whether the phone could tell at all. Only with a position.
    accuracy_m = models.PositiveIntegerField(_("location accuracy"), null=True, blank=True)
    questioned = models.CharField(_("person questioned"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    violation_count = models.PositiveSmallIntegerField(_("violations"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    fixed_description = models.TextField(_("what was fixed on the spot"), blank=True)
    rectification_items = models.TextField(_("to rectify"), blank=True)
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    suspended = models.BooleanField(_("suspended until it passes"), default=False)
    legal_reason = models.TextField(_("legal reason"), blank=True)
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("rectification order"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="inspections")
    reinspection_of = models.ForeignKey("self", verbose_name=_("re-inspection of"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="reinspections")
    # The premises status this inspection's consequences set (suspended, shut, open again): a
    # consequence that a voiding could not honestly undo.
    status_set = models.CharField(_("status set"), max_length=16, blank=True)
    # Plausibility (plausibility.py): [{code, params}] computed on submission, and their review.
    flags = models.JSONField(_("plausibility flags"), default=list, blank=True)
    flag_review = models.CharField(_("review"), max_length=10, choices=FlagReview.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.CharField(_("reason of the review"), max_length=300, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "grid"
        # The category's unit, and the unit its rectification was routed to (docs/INSPECTIONS.md).
        department = ("premises__category__routes__department", "work_order__department")
        owner = ("submitted_by", "premises__segment__chief")
        members = "inspectors"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "outcome"], name="inspection_campaign_outcome"),
            models.Index(fields=["premises", "inspected_at"], name="inspection_premises_time"),
            # The list's order (newest first, id breaks ties): a page's ids from the index alone.
            models.Index(fields=["inspected_at", "id"], name="inspection_time_id"),
            models.Index(fields=["subject_type", "subject_id", "inspected_at"], name="inspection_subject_time"),
            models.Index(fields=["grid", "inspected_at"], name="inspection_grid_time"),
            models.Index(fields=["campaign", "flag_review"], name="inspection_campaign_review"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="rectification") | Q(deadline__isnull=False),
                                   name="inspection_rectification_deadline"),
            # A premises, or another subject: never neither.
            models.CheckConstraint(condition=Q(premises__isnull=False) | Q(subject_id__isnull=False),
                                   name="inspection_has_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} {self.inspected_at:%Y-%m-%d %H:%M}"

    @property
    def subject(self):
        if self.premises_id:
            return self.premises
        if self.subject_type_id and self.subject_id:
            return self.subject_type.get_object_for_this_type(pk=self.subject_id)
        return None

    @property
    def flags_explained(self) -> list[str]:
        from .plausibility import explain

        return [explain(f) for f in self.flags]

    @property
    def has_finding(self) -> bool:
        return self.outcome != Outcome.COMPLIANT

    @property
    def passed(self) -> bool | None:
        """For a re-inspection: did the premises pass?"""
        if self.kind != InspectionKind.REINSPECTION:
            return None
        return self.outcome in (Outcome.COMPLIANT, Outcome.FIXED)


class Answer(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("answer"), max_length=500, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    is_violation = models.BooleanField(_("violation"), default=False)

    class Meta:
        verbose_name = _("answer")
        ordering = ["item__order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_once")]
        indexes = [models.Index(fields=["item", "is_violation"], name="answer_item_violation")]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class Photo(AuditedModel):
    """A photo taken on an inspection: EXIF stripped, with a thumbnail, served through the inspection's
    visibility only."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="photos")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # False while `file` holds the bytes as received (inspections/raw/…): the worker re-encodes them
    # without EXIF and writes the thumbnail (photos.py); nothing is served before.
    processed = models.BooleanField(default=True)

    objects = DomainQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "inspection__grid"
        department = ("inspection__premises__category__routes__department", "inspection__work_order__department")
        owner = ("inspection__submitted_by", "inspection__premises__segment__chief")
        members = "inspection__inspectors"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]
        indexes = [models.Index(fields=["id"], condition=models.Q(processed=False), name="photo_unprocessed")]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class RiskScore(models.Model):
    """A premises' risk score and the reasons that make it up (they add up to the score). Derived:
    recomputed by `risk.refresh` whenever the premises' history changes, never typed in."""

    premises = models.OneToOneField(Premises, primary_key=True, on_delete=models.CASCADE, related_name="risk")
    score = models.PositiveSmallIntegerField(_("risk score"), default=0)
    band = models.CharField(_("risk"), max_length=8, choices=RiskBand.choices, default=RiskBand.LOW)
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("risk score")
        indexes = [models.Index(fields=["band", "score"], name="risk_band_score")]

    def __str__(self) -> str:
        return f"{self.premises_id}:{self.score}"

    @property
    def explained(self) -> list[tuple[str, int]]:
        """(text in the reader's language, points) for each reason."""
        from .risk import explain

        return [(explain(r), r["points"]) for r in self.reasons]


class VenueScan(models.Model):
    """Daily scans of one venue code, imported from the venue-code system's export."""

    code_number = models.CharField(_("venue code number"), max_length=50)
    date = models.DateField(_("date"))
    scans = models.PositiveIntegerField(_("scans"))
    premises = models.ForeignKey(Premises, verbose_name=_("premises"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="venue_scans")

    class Meta:
        verbose_name = _("venue-code scans")
        verbose_name_plural = _("venue-code scans")
        ordering = ["-date", "code_number"]
        constraints = [models.UniqueConstraint(fields=["code_number", "date"], name="venue_scan_once_a_day")]
        indexes = [models.Index(fields=["premises", "date"], name="venue_scan_premises_date")]

    def __str__(self) -> str:
        return f"{self.code_number} {self.date}: {self.scans}"


class ScanCompliance(models.Model):
    """Whether a premises' venue code is scanned as much as its peers suggest (应扫尽扫)."""

    premises = models.OneToOneField(Premises, primary_key=True, on_delete=models.CASCADE,
                                    related_name="scan_compliance")
    expected = models.DecimalField(_("expected scans a day"), max_digits=10, decimal_places=1)
    recent = models.JSONField(_("recent scans"), default=list)  # [[date, scans], ...] newest first
    flagged = models.BooleanField(_("posted but not scanned"), default=False)
    flagged_since = models.DateField(_("flagged since"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), auto_now=True)

    class Meta:
        verbose_name = _("scan compliance")
        indexes = [models.Index(fields=["flagged"], name="scan_compliance_flagged")]

    def __str__(self) -> str:
        return f"{self.premises_id}:{'flagged' if self.flagged else 'ok'}"

    @property
    def explanation(self) -> str:
        from .scans import explain

        return explain(self)


class LadderEntry(DomainModel):
    """One step of the escalation ladder taken for one problem (a checklist item) at one premises."""

    premises = models.ForeignKey(Premises, verbose_name=_("premises"), on_delete=models.CASCADE,
                                 related_name="ladder")
    problem = models.SlugField(_("problem"), max_length=40, help_text=_("The checklist item's code."))
    problem_text = models.CharField(_("problem"), max_length=200)
    step = models.CharField(_("step"), max_length=16, choices=LadderStep.choices)
    proposed = models.CharField(_("proposed step"), max_length=16, choices=LadderStep.choices)
    reason = models.CharField(_("why another step"), max_length=300, blank=True)
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="ladder_steps")
    taken_at = models.DateTimeField(_("taken at"))

    class Scoping(ScopingSpec):
        area = "premises__grid"
        department = "premises__category__routes__department"
        owner = ("inspection__submitted_by", "premises__segment__chief")
        members = "inspection__inspectors"

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation ladder")
        ordering = ["premises", "problem", "taken_at", "id"]
        indexes = [models.Index(fields=["premises", "problem", "taken_at"], name="ladder_premises_problem")]
        constraints = [models.UniqueConstraint(fields=["inspection", "problem"], name="ladder_once_per_inspection")]

    def __str__(self) -> str:
        return f"{self.premises_id}:{self.problem}:{self.step}"
