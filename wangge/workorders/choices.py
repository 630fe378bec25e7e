from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECTIFICATION = "rectification", _("rectification")
    DEMAND = "demand", _("enterprise demand")
    RESIDENT_NEED = "resident_need", _("resident need")
    INSTRUCTION = "instruction", _("leader's instruction")
    PUBLIC_REPORT = "public_report", _("public report")
    OTHER = "other", _("other")


class State(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    AWAITING_VERIFICATION = "awaiting_verification", _("awaiting verification")
    CLOSED = "closed", _("closed")
    RETURNED = "returned", _("returned")
    REOPENED = "reopened", _("reopened")
    ESCALATED = "escalated", _("escalated")


class HolidaySource(models.TextChoices):
    """Where a calendar row comes from: the State Council's calendar (`wangge holidays`) or typed in here."""

    OFFICIAL = "official", _("official calendar")
    LOCAL = "local", _("local setting")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class SatisfactionSource(models.TextChoices):
    """Who gave the satisfaction answer: the requester through their rating link, or staff for them."""

    REQUESTER = "requester", _("rated by the enterprise itself")
    STAFF = "staff", _("entered by staff")
    REPORTER = "reporter", _("rated by the reporter")


class Verb(models.TextChoices):
    RAISE = "raise", _("raise")
    ASSIGN = "assign", _("assign")
    START = "start", _("start")
    SUBMIT = "submit", _("submit for verification")
    VERIFY = "verify", _("verify and close")
    RETURN = "return", _("return to the assignee")
    REOPEN = "reopen", _("reopen")
    ESCALATE = "escalate", _("escalate")
    OVERDUE = "overdue", _("overdue")
    REINSPECT = "reinspect", _("re-inspected")
    RATE = "rate", _("rated by the requester")
    DUPLICATE = "duplicate", _("reported again")


class OverdueLevel(models.IntegerChoices):
    NONE = 0, _("on time")
    DEPARTMENT = 1, _("overdue: first alert")  # to the department's officers, or the town leaders without
    LEADER = 2, _("overdue: town leader alerted")


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app inbox (docs/NOTIFICATIONS.md)."""

    EMAIL = "email", _("e-mail")
    WECOM = "wecom", _("WeCom message")
    SMS = "sms", _("text message")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not delivered")
    READ = "read", _("read in the app")
