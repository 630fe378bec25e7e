"""The senders behind each notification channel, speaking each service's own protocol: SMTP for e-mail,
the 企业微信 (WeCom) application-message API, and the town's SMS gateway over HTTP. Each raises
DeliveryError; `permanent` says a retry cannot help (a refused address), otherwise delivery.py retries
with back-off. Nothing here writes to the database."""

import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection

from .choices import Channel


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


def configured() -> list[str]:
    """The channels this deployment can send through (its settings name a server)."""
    ready = {Channel.EMAIL: bool(settings.EMAIL_HOST),
             Channel.WECOM: bool(settings.WECOM_CORP_ID and settings.WECOM_SECRET and settings.WECOM_AGENT_ID),
             Channel.SMS: bool(settings.SMS_GATEWAY_URL)}
    return [channel for channel, ok in ready.items() if ok]


def send(channel: str, address: str, subject: str, text: str) -> None:
    {Channel.EMAIL: send_email, Channel.WECOM: send_wecom, Channel.SMS: send_sms}[channel](address, subject, text)


# --- e-mail (SMTP) ---------------------------------------------------------------------------------

def send_email(address: str, subject: str, text: str) -> None:
    try:
        connection = get_connection(fail_silently=False, timeout=settings.NOTIFY_TIMEOUT)
        EmailMessage(subject, text, None, [address], connection=connection).send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"refused: {exc}"[:300], permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"smtp: {exc}"[:300]) from exc


# --- HTTP (WeCom, SMS gateway) ----------------------------------------------------------------------

def _http(method: str, url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={  # noqa: S310 (configured URL)
        "Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:  # down, refused, timed out: try later
        raise DeliveryError(f"unreachable: {exc}"[:300]) from exc
    try:
        return status, json.loads(raw or b"{}")
    except ValueError:
        return status, {}


# WeCom's documented codes for an access token that is invalid or expired: fetch a new one once.
TOKEN_CODES = {40014, 42001}
TOKEN_KEY = "wecom-token"  # noqa: S105 (a cache key, not a secret)


def _wecom_token(fresh: bool = False) -> str:
    if not fresh and (token := cache.get(TOKEN_KEY)):
        return token
    query = urllib.parse.urlencode({"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET})
    status, answer = _http("GET", f"{settings.WECOM_API_BASE}/cgi-bin/gettoken?{query}")
    if status != 200 or answer.get("errcode", 0) != 0 or not answer.get("access_token"):
        raise DeliveryError(f"gettoken: {status} {answer.get('errcode')} {answer.get('errmsg', '')}"[:300])
    # Kept a little shorter than WeCom says it lives (7,200 s), so a token never expires mid-send.
    cache.set(TOKEN_KEY, answer["access_token"], max(60, int(answer.get("expires_in", 7200)) - 300))
    return answer["access_token"]


def send_wecom(userid: str, subject: str, text: str) -> None:
    """An application text message to one member (message/send, msgtype text)."""
    body = {"touser": userid, "msgtype": "text", "agentid": int(settings.WECOM_AGENT_ID),
            "text": {"content": text}, "safe": 0}
    for fresh in (False, True):
        token = urllib.parse.quote(_wecom_token(fresh))
        status, answer = _http("POST", f"{settings.WECOM_API_BASE}/cgi-bin/message/send?access_token={token}", body)
        code = answer.get("errcode")
        if status == 200 and code in TOKEN_CODES and not fresh:
            continue
        if status == 200 and code == 0:
            if answer.get("invaliduser"):  # the account is not in the address book: no retry helps
                raise DeliveryError(f"invalid user {answer['invaliduser']}"[:300], permanent=True)
            return
        raise DeliveryError(f"wecom: {status} {code} {answer.get('errmsg', '')}"[:300], permanent=status == 200)


def send_sms(phone: str, subject: str, text: str) -> None:
    """The town's SMS gateway: POST {"phone", "text"} as JSON with the bearer token; 2xx is accepted,
    4xx is a refusal (a wrong number), anything else is tried again later."""
    headers = {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {}
    status, answer = _http("POST", settings.SMS_GATEWAY_URL, {"phone": phone, "text": text}, headers)
    if 200 <= status < 300:
        return
    raise DeliveryError(f"sms gateway: {status} {answer.get('error', '')}"[:300], permanent=400 <= status < 500
                        and status not in (408, 429))
