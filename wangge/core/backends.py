"""The password check behind every sign-in form (our page and the Django admin's), with the lockout."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle
from .clientip import client_ip


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = (username or kwargs.get("username") or "").strip()
        ip = client_ip(request) if request is not None else None
        if throttle.is_locked(username, ip):
            # PermissionDenied stops Django trying other backends: a locked account stays locked.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if username:
                throttle.record_failure(username, ip)
            return None
        throttle.clear(username)
        return user
