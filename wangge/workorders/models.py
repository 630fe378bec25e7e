"""Work orders (工单): one closed loop for rectifications, enterprise demands, residents' needs and
leaders' instructions; their append-only timeline; the working-day calendar; in-app notifications;
leaders' field visits (调研) and the instructions given on them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.audit import AuditedModel
from wangge.core.base import DomainModel, DomainQuerySet
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area, Department
from wangge.core.visibility import ScopingSpec

from .choices import (
    Channel,
    DeliveryState,
    HolidaySource,
    Kind,
    OverdueLevel,
    Priority,
    Satisfaction,
    SatisfactionSource,
    State,
    Verb,
)


class Holiday(DomainModel):
    """One calendar exception: a weekday off (public holiday) or a weekend make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("make-up working day"), default=False,
                                         help_text=_("Ticked: a weekend day worked. Empty: a day off."))
    name = models.CharField(_("name"), max_length=50, blank=True)
    # Official rows come from `wangge holidays --year N` and are refreshed by it; a local row (typed in
    # the admin, or an official row changed there) is never overwritten or deleted by the seeding.
    source = models.CharField(_("source"), max_length=16, choices=HolidaySource.choices,
                              default=HolidaySource.LOCAL)

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class FieldVisit(DomainModel):
    """A leader's field visit (调研): who, when, where, the units visited, notes."""

    title = models.CharField(_("title"), max_length=100)
    visited_on = models.DateField(_("date"))
    leader = models.CharField(_("led by"), max_length=100)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="field_visits")
    place = models.CharField(_("place"), max_length=200, blank=True)
    units = models.TextField(_("units visited"), blank=True, help_text=_("One per line."))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        area = "area"
        owner = "recorded_by"

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["area", "visited_on"], name="fieldvisit_area_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.title}"

    @property
    def unit_list(self) -> list[str]:
        return [u.strip() for u in self.units.splitlines() if u.strip()]


class Instruction(DomainModel):
    """One instruction (督办) given on a visit; it becomes one work order per unit."""

    visit = models.ForeignKey(FieldVisit, verbose_name=_("field visit"), on_delete=models.CASCADE,
                              related_name="instructions")
    text = models.TextField(_("instruction"))
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField(_("deadline"))

    class Scoping(ScopingSpec):
        area = "visit__area"
        owner = "visit__recorded_by"

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:50]


class WorkOrder(DomainModel):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.NEW, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # A health fact copied from its source (a care visit's medical need): encrypted at rest, shown only to
    # those who may read it there (core.privacy.reads_health_text), never searched, purged with the order.
    health_note = EncryptedTextField(_("health details"), blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    # Where it came from: a description, and optionally the row that raised it (inspection, visit, ...).
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What it is about: premises, enterprise, resident, compound, ... and a label for people.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(_("subject"), max_length=200, blank=True)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="work_orders")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="work_orders")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assigned_work_orders")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    deadline = models.DateField(_("deadline"))
    requester_name = models.CharField(_("requester"), max_length=100, blank=True)
    requester_unit = models.CharField(_("requester's unit"), max_length=200, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices, blank=True)
    # Whether the answer came from the requester itself (the rating link) or was entered by staff.
    satisfaction_source = models.CharField(_("satisfaction given by"), max_length=16,
                                           choices=SatisfactionSource.choices, blank=True)
    satisfaction_comment = models.TextField(_("requester's comment"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(pgettext_lazy("time", "closed"), null=True, blank=True, editable=False)
    overdue_level = models.PositiveSmallIntegerField(_("overdue"), choices=OverdueLevel.choices,
                                                     default=OverdueLevel.NONE, editable=False)
    visit = models.ForeignKey(FieldVisit, verbose_name=_("field visit"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="work_orders")
    instruction = models.ForeignKey(Instruction, verbose_name=_("instruction"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="work_orders")

    class Scoping(ScopingSpec):
        area = "grid"
        department = "department"
        owner = "assignee"

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-id"]
        indexes = [
            # The overdue job's selection: open orders past their deadline, not yet at the top level.
            models.Index(fields=["deadline", "overdue_level"], condition=~Q(state="closed"),
                         name="workorder_open_deadline"),
            models.Index(fields=["grid", "state"], name="workorder_grid_state"),
            models.Index(fields=["department", "state"], name="workorder_department_state"),
            models.Index(fields=["assignee", "state"], name="workorder_assignee_state"),
            models.Index(fields=["kind", "state"], name="workorder_kind_state"),
            # The big screen's orders opened per day (the last 14 days).
            models.Index(fields=["created_at"], name="workorder_created"),
            models.Index(fields=["subject_type", "subject_id"], name="workorder_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state="closed") | Q(closed_at__isnull=True),
                                   name="workorder_closed_at_only_closed"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @classmethod
    def audit_choices(cls) -> dict:
        """The change record shows a category's label (the modules that raise orders register them)."""
        from . import categories

        return {"category": [pair for labels in categories.LABELS.values() for pair in labels.items()]}

    @property
    def subject(self):
        if self.subject_type_id and self.subject_id:
            return self.subject_type.get_object_for_this_type(pk=self.subject_id)
        return None

    @property
    def source_url(self) -> str:
        """The page of the row that raised the order, when its model has one (a public report)."""
        model = self.source_type.model_class() if self.source_type_id and self.source_id else None
        if model is None or not hasattr(model, "get_absolute_url"):
            return ""
        found = model.objects.filter(pk=self.source_id).first()
        return found.get_absolute_url() if found else ""

    @property
    def category_label(self) -> str:
        from .categories import label

        return label(self.kind, self.category)

    @property
    def is_overdue(self) -> bool:
        return self.overdue_level > 0

    def audit_withheld(self) -> frozenset[str]:
        """A resident's need (often medical) and whom it is about stay out of the trail (the purge could not
        reach them there); the trail keeps its steps. Other orders are recorded in full but for the health
        details and the requester's name (a person: an enterprise's contact, a caller; purged with them)."""
        if self.kind == Kind.RESIDENT_NEED:
            return frozenset({"title", "description", "health_note", "requester_name", "subject_id",
                              "subject_label", "source_id"})
        return self.AUDIT_WITHHELD | {"health_note", "requester_name"}

    def health_note_for(self, user) -> str | None:
        """The health details for this reader: the text, or None when they may not read it. Those who may
        read a care visit's medical need may, and the assignee, who must act on it."""
        from wangge.core.privacy import reads_health_text

        if not self.health_note:
            return ""
        return self.health_note if reads_health_text(user) or self.assignee_id == user.pk else None

    def audit_label(self) -> str:
        return f"#{self.pk}" if "title" in self.audit_withheld() else str(self)


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The work-order timeline cannot be changed."))

    def delete(self):
        raise ValidationError(_("The work-order timeline cannot be changed."))


class WorkOrderEvent(models.Model):
    """One step of an order's timeline: append-only."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT,
                              related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=16, choices=Verb.choices)
    from_state = models.CharField(pgettext_lazy("work-order state", "from"), max_length=24, choices=State.choices,
                                  blank=True)
    to_state = models.CharField(pgettext_lazy("work-order state", "to"), max_length=24, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("work-order event")
        verbose_name_plural = _("work-order events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="workorderevent_order_at")]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.verb}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The work-order timeline cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The work-order timeline cannot be changed."))


class Notification(models.Model):
    """An in-app message, made only through `notify.py`: work handed to this user on an order, an order
    gone overdue to this user's level, or another module's alert (a vaccination reminder) with its own
    link and a `key` that makes a job create it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE,
                              related_name="notifications", null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OverdueLevel.choices, default=OverdueLevel.NONE)
    key = models.CharField(_("key"), max_length=100, blank=True, editable=False,
                           help_text=_("Other modules' alerts: one notification per user and key."))
    link = models.CharField(_("link"), max_length=200, blank=True)
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        # An overdue level once per user (no key); every other notice once per user and key (a hand-over's
        # key names its timeline step, so one order may tell the same person at each step).
        constraints = [models.UniqueConstraint(fields=["order", "level", "user"], condition=Q(key=""),
                                               name="notification_once"),
                       models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="notification_key_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.message


class ChannelSettings(AuditedModel):
    """Which channels besides the inbox a user is told through, and their addresses there. The phone is
    personal data: encrypted at rest like every other phone, masked in the trail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="channel_settings")
    email = models.BooleanField(_("e-mail"), default=False)
    wecom = models.BooleanField(_("WeCom message"), default=False)
    wecom_userid = models.CharField(_("WeCom account"), max_length=64, blank=True,
                                    help_text=_("The account (UserID) in the town's WeCom address book."))
    sms = models.BooleanField(_("text message"), default=False)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_masked = models.CharField(_("mobile phone"), max_length=16, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    PROTECTED_FIELDS = {"phone": "phone_masked"}

    class Meta:
        verbose_name = _("notification channels")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return str(self.user)

    def chosen(self) -> list[str]:
        return [c for c in Channel.values if getattr(self, c)]

    def save(self, *args, **kwargs):
        from wangge.core.crypto import mask_phone

        self.phone_masked = mask_phone(self.phone) if self.phone else ""
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """One notification through one channel: made once (the unique pair), sent by the worker with
    retries and back-off (delivery.py); `text` is what left the building, kept as sent."""

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.QUEUED)
    text = models.CharField(_("text"), max_length=500)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification_id}:{self.channel}"


class Attachment(AuditedModel):
    """A photo or document on a work order, served only through the order's visibility."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE,
                              related_name="attachments")
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DomainQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "order__grid"
        department = "order__department"
        owner = "order__assignee"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
