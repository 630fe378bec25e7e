"""Bearer tokens for the API (session cookies work too, with CSRF)."""

from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from wangge.core import audit, throttle
from wangge.core.clientip import client_ip
from wangge.core.models import ApiToken


class TooManyFailures(Exception):
    """The client address is locked (core/throttle.py): a 429, whatever the token."""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        ip = client_ip(request)
        # A locked address is refused whatever the token; the lock is read with the token, in one query.
        found = (ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token))
                 .annotate(address_failures=throttle.address_failures(ip)).first())
        if throttle.locks_address(found.address_failures) if found else throttle.address_locked(ip):
            raise TooManyFailures
        if found is None or not found.user.is_active:
            throttle.record_failure(throttle.TOKEN_USERNAME, ip)
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        audit.set_actor(found.user)
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's session, with the CSRF check; anonymous callers get 401, not a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated and request.user.is_active else None


AUTH = [BearerToken(), SessionAuth(csrf=True)]
