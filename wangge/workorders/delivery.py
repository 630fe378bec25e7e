"""Notifications beyond the inbox: one Delivery row per notification and channel the user chose, made
once (`delivery_once`) when the notification is made, then sent by the worker (`deliver_due`: the Celery
beat every minute, or `wangge deliver` from a timer) with retries and back-off, so a gateway that is down
delays messages and loses none. A notification read in the app before its message left is not sent."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import DeliveryError, configured, send
from .choices import Channel, DeliveryState
from .models import ChannelSettings, Delivery, Notification

STALE_CLAIM = datetime.timedelta(minutes=10)  # a worker killed mid-send: its claim is taken over after this
GIVE_UP_AFTER = datetime.timedelta(days=3)  # a weekend's outage still delivers
MAX_BACKOFF_MINUTES = 60


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), MAX_BACKOFF_MINUTES))


def outgoing_text(message: str, link: str) -> str:
    text = _("[Wangge] %(message)s") % {"message": message}
    if link and settings.SITE_URL:
        text = f"{text} {settings.SITE_URL}{link}"
    return text[:500]


def queue(made: list[tuple[Notification, str]]) -> int:
    """Queue a delivery on every channel each notified user chose. `made` pairs each new notification
    with the text that may leave the building (a health fact stays in the app: see notify.Notice)."""
    ready = configured()
    if not made or not ready:
        return 0
    chosen = {s.user_id: s for s in ChannelSettings.objects.filter(user_id__in={n.user_id for n, _t in made})}
    rows = [Delivery(notification=n, channel=channel, text=outgoing_text(text, n.link))
            for n, text in made if (s := chosen.get(n.user_id)) for channel in s.chosen() if channel in ready]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows and settings.CELERY_BROKER_URL:
        from django.db import transaction

        from .tasks import deliver_task

        transaction.on_commit(deliver_task.delay)
    return len(rows)


def mark_read(notifications) -> int:
    """Mark notifications read; their messages not yet sent are not sent, those sent show as read."""
    now = timezone.now()
    ids = list(notifications.filter(read_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    Delivery.objects.filter(notification_id__in=ids, state__in=[DeliveryState.QUEUED, DeliveryState.SENT]).update(
        state=DeliveryState.READ)
    return Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=now)


def address_of(delivery: Delivery) -> str:
    user = delivery.notification.user
    chosen = getattr(user, "channel_settings", None)
    if delivery.channel == Channel.EMAIL:
        return user.email
    if chosen is None:
        return ""
    return chosen.wecom_userid if delivery.channel == Channel.WECOM else chosen.phone


def deliver_due(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due; returns how many were sent, retried later, failed and skipped as read."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "read": 0}
    Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=DeliveryState.QUEUED)
    counts["read"] = Delivery.objects.filter(state=DeliveryState.QUEUED, notification__read_at__isnull=False).update(
        state=DeliveryState.READ)
    due = (Delivery.objects.filter(state=DeliveryState.QUEUED)
           .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
           .select_related("notification__user__channel_settings").order_by("pk")[:limit])
    ready = configured()
    for delivery in due:
        # The claim: only one worker moves a row from queued to sending, so each message leaves once.
        if not Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.QUEUED).update(
                state=DeliveryState.SENDING, claimed_at=now):
            continue
        attempts = delivery.attempts + 1
        try:
            address = address_of(delivery)
            if delivery.channel not in ready or not address:
                raise DeliveryError("no address or channel switched off", permanent=True)
            send(delivery.channel, address, delivery.text[:78], delivery.text)
        except DeliveryError as exc:
            gave_up = exc.permanent or now - delivery.created_at >= GIVE_UP_AFTER
            Delivery.objects.filter(pk=delivery.pk).update(
                state=DeliveryState.FAILED if gave_up else DeliveryState.QUEUED, attempts=attempts,
                last_error=str(exc)[:300], next_attempt_at=None if gave_up else now + backoff(attempts))
            counts["failed" if gave_up else "retry"] += 1
        else:
            Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENT, attempts=attempts, sent_at=now,
                                                           last_error="")
            counts["sent"] += 1
    return counts
