"""#25: notifications reach people outside the app — e-mail, 企业微信 (WeCom) application messages and
SMS through the town's gateway — once per notification and channel, retried with back-off while a
server is down, never sent once read in the app. Each channel is tested against a server on loopback
that speaks its protocol (aiosmtpd for SMTP; small HTTP servers answering as WeCom's message API and
the SMS gateway do), so what arrived there is the oracle, not our own rows."""

import datetime
import json
import socket
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wangge.workorders import services
from wangge.workorders.choices import Channel, DeliveryState, Kind
from wangge.workorders.delivery import deliver_due
from wangge.workorders.models import ChannelSettings, Delivery, Notification
from wangge.workorders.notify import Notice, notify_many

from .helpers import raise_order

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def __init__(self):
        self.received = []


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


class Gateway:
    """WeCom's gettoken and message/send, and an SMS gateway, on one loopback server. `down` answers
    503 to everything; `expire_once` answers the first send with WeCom's expired-token code."""

    def __init__(self):
        self.sent, self.tokens, self.refused = [], 0, 0
        self.down = False
        self.expire_once = False
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                if gateway.down:
                    return self.answer(503, {})
                query = parse_qs(url.query)
                if url.path == "/cgi-bin/gettoken" and query.get("corpsecret") == ["s3cret"]:
                    gateway.tokens += 1
                    return self.answer(200, {"errcode": 0, "errmsg": "ok", "access_token": f"T{gateway.tokens}",
                                             "expires_in": 7200})
                return self.answer(200, {"errcode": 40001, "errmsg": "invalid credential"})

            def do_POST(self):  # noqa: N802
                url = urlparse(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.down:
                    gateway.refused += 1
                    return self.answer(503, {"error": "maintenance"})
                if url.path == "/cgi-bin/message/send":
                    token = parse_qs(url.query)["access_token"][0]
                    if gateway.expire_once:
                        gateway.expire_once = False
                        return self.answer(200, {"errcode": 42001, "errmsg": "access_token expired"})
                    if body["touser"] == "nobody":
                        return self.answer(200, {"errcode": 0, "errmsg": "ok", "invaliduser": "nobody"})
                    gateway.sent.append(("wecom", token, body))
                    return self.answer(200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "m1"})
                if url.path == "/sms" and self.headers.get("Authorization") == "Bearer sms-token":
                    gateway.sent.append(("sms", None, body))
                    return self.answer(200, {"ok": True})
                return self.answer(401, {"error": "unauthorised"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(settings):
    server = Gateway()
    settings.WECOM_API_BASE, settings.WECOM_CORP_ID, settings.WECOM_SECRET, settings.WECOM_AGENT_ID = (
        server.url, "ww-corp", "s3cret", "1000002")
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = f"{server.url}/sms", "sms-token"
    cache.delete("wecom-token")
    yield server
    server.server.shutdown()


def choose(user, **channels):
    version = ChannelSettings.objects.filter(user=user).values_list("version", flat=True).first()
    return services.set_channels(user, expected_version=version, **channels)


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_an_assignment_reaches_the_assignee_by_email_once(world, smtp):
    worker = world.users["gridworker"]
    worker.email = "worker@example.org"
    worker.save()
    choose(worker, email=True)
    order = raise_order(world)
    assert deliver_due()["sent"] >= 1
    mine = [m for to, m in smtp.received if to == ["worker@example.org"]]
    assert len(mine) == 1 and f"#{order.pk}" in subject_of(mine[0])
    assert order.title in mine[0].get_payload(decode=True).decode()
    assert deliver_due()["sent"] == 0  # a second run sends nothing again
    assert len([m for to, m in smtp.received if to == ["worker@example.org"]]) == 1
    delivery = Delivery.objects.get(notification__user=worker, channel=Channel.EMAIL)
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)


def test_wecom_message_with_a_token_refreshed_when_it_expired(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, wecom=True, wecom_userid="ZhangWei")
    gateway.expire_once = True
    order = raise_order(world)
    deliver_due()
    (sent,) = [body for kind, _t, body in gateway.sent if kind == "wecom" and body["touser"] == "ZhangWei"]
    assert sent["msgtype"] == "text" and sent["agentid"] == 1000002 and f"#{order.pk}" in sent["text"]["content"]
    assert gateway.tokens == 2  # the expired token was replaced once, then kept
    assert [t for kind, t, _b in gateway.sent if kind == "wecom"] == ["T2"]


def test_an_unknown_wecom_account_fails_without_retrying(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, wecom=True, wecom_userid="nobody")
    raise_order(world)
    assert deliver_due()["failed"] == 1
    delivery = Delivery.objects.get(notification__user=worker)
    assert delivery.state == DeliveryState.FAILED and "nobody" in delivery.last_error
    assert deliver_due(timezone.now() + datetime.timedelta(hours=2))["sent"] == 0


def test_a_gateway_outage_delays_the_text_message_and_loses_nothing(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, sms=True, phone="13912345678")
    gateway.down = True
    order = raise_order(world)
    now = timezone.now()
    assert deliver_due(now)["retry"] == 1
    delivery = Delivery.objects.get(notification__user=worker, channel=Channel.SMS)
    assert delivery.state == DeliveryState.QUEUED and delivery.attempts == 1 and "503" in delivery.last_error
    assert delivery.next_attempt_at == now + datetime.timedelta(minutes=1)
    assert deliver_due(now + datetime.timedelta(seconds=30)) == {"sent": 0, "retry": 0, "failed": 0, "read": 0}
    assert deliver_due(now + datetime.timedelta(minutes=1))["retry"] == 1  # still down: two minutes next
    assert Delivery.objects.get(pk=delivery.pk).next_attempt_at == now + datetime.timedelta(minutes=3)
    gateway.down = False
    assert deliver_due(now + datetime.timedelta(minutes=3))["sent"] == 1
    texts = [body for kind, _t, body in gateway.sent if kind == "sms"]
    assert len(texts) == 1 and texts[0]["phone"] == "13912345678" and f"#{order.pk}" in texts[0]["text"]
    assert gateway.refused == 2
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.SENT


def test_read_in_the_app_first_means_not_sent(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, sms=True, phone="13912345678")
    raise_order(world)
    note = Notification.objects.get(user=worker)
    services.mark_read(worker, note.pk)
    assert Delivery.objects.get(notification=note).state == DeliveryState.READ
    assert deliver_due()["sent"] == 0 and gateway.sent == []


def test_one_delivery_per_notification_and_channel(world, gateway, smtp):
    worker = world.users["gridworker"]
    worker.email = "worker@example.org"
    worker.save()
    choose(worker, email=True, sms=True, phone="13912345678")
    notice = Notice(worker, "明日检查提醒", key="test:once")
    notify_many([notice])
    notify_many([notice])  # the same event again: nothing new
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]
    note = Notification.objects.get(key="test:once")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=note, channel=Channel.SMS, text="x")


def test_what_leaves_the_building_can_differ_from_the_inbox_message(world, gateway):
    doctor = world.users["doctor"]
    choose(doctor, sms=True, phone="13912345678")
    notify_many([Notice(doctor, "明日接种：王阿婆 13800001111", key="test:private",
                        outside="明日有接种预约需电话提醒")])
    deliver_due()
    (text,) = [body["text"] for kind, _t, body in gateway.sent if kind == "sms"]
    assert "明日有接种预约需电话提醒" in text and "王阿婆" not in text


def test_choosing_channels_needs_their_addresses_and_keeps_the_phone_encrypted(world, gateway, client):
    worker = world.users["gridworker"]
    with pytest.raises(ValidationError) as refused:
        choose(worker, sms=True, phone="12345")
    assert "phone" in refused.value.error_dict and not ChannelSettings.objects.exists()
    with pytest.raises(ValidationError) as refused:
        choose(worker, wecom=True)
    assert "wecom_userid" in refused.value.error_dict
    client.force_login(worker)
    page = client.get("/workorders/notifications/channels/")
    assert page.status_code == 200 and 'name="sms"' in page.content.decode() and 'name="email"' not in (
        page.content.decode())  # e-mail has no server here
    answer = client.post("/workorders/notifications/channels/", {"sms": "on", "phone": "139 1234 5678"})
    assert answer.status_code == 302
    chosen = ChannelSettings.objects.get(user=worker)
    assert chosen.chosen() == ["sms"] and chosen.phone == "13912345678" and chosen.phone_masked == "139****5678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM workorders_channelsettings")
        assert "13912345678" not in cursor.fetchone()[0]
    page = client.get("/workorders/notifications/channels/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_without_servers_the_page_says_only_the_inbox(world, client):
    client.force_login(world.users["gridworker"])
    page = client.get("/workorders/notifications/channels/").content.decode()
    assert 'data-testid="no-channels"' in page and 'name="sms"' not in page and 'name="email"' not in page


def test_a_residents_need_leaves_the_app_as_its_number_only(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, sms=True, phone="13912345678")
    order = raise_order(world, kind=Kind.RESIDENT_NEED, department=None)
    deliver_due()
    texts = [body["text"] for kind, _t, body in gateway.sent if kind == "sms"]
    assert texts and all(f"#{order.pk}" in t and order.title not in t for t in texts)
    assert order.title in Notification.objects.filter(user=worker, order=order).first().message  # the inbox has it


def test_switching_text_messages_off_forgets_the_phone(world, gateway):
    worker = world.users["gridworker"]
    choose(worker, sms=True, phone="13912345678")
    choose(worker, sms=False, wecom=True, wecom_userid="ZhangWei")
    chosen = ChannelSettings.objects.get(user=worker)
    assert (chosen.phone, chosen.phone_masked, chosen.chosen()) == ("", "", ["wecom"])
