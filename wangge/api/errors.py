"""One error shape for every endpoint: {"detail": ..., "errors": [{"field", "message"}]}.

Values the client sent are never echoed back (they may be ID numbers).
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from wangge.core.middleware import too_large

from .auth import TooManyFailures
from .messages import message

log = logging.getLogger("wangge.api")
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "filters"}


def error_response(status: int, detail: str, errors: list[dict] | None = None) -> JsonResponse:
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _field(loc) -> str:
    parts = [str(p) for p in loc]
    while parts and parts[0] in SOURCES:
        parts.pop(0)
    return ".".join(parts) or "body"


def on_ninja_validation(request, exc: NinjaValidationError):
    errors = [{"field": _field(e.get("loc", ())), "message": message(e)} for e in exc.errors]
    if any(e.get("type") == "json_invalid" or "JSON" in str(e.get("msg", "")) for e in exc.errors):
        return error_response(400, _("The request body is not valid JSON."), errors)
    return error_response(422, _("Some fields are not valid."), errors)


def on_django_validation(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [{"field": f if f != "__all__" else "body", "message": m}
                  for f, messages in exc.message_dict.items() for m in messages]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    status = 409 if getattr(exc, "code", None) in ("stale_version", "in_use") else 422
    return error_response(status, errors[0]["message"] if status == 409 else _("Some fields are not valid."), errors)


def on_too_many_failures(request, exc):
    from django.conf import settings

    response = error_response(429, _("Too many failed sign-ins from your address. Try again in %(minutes)s "
                                      "minutes.") % {"minutes": settings.LOGIN_LOCKOUT_MINUTES})
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response


def install(api) -> None:
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(AuthenticationError,
                              lambda r, e: error_response(401, _("Sign in or send a valid token.")))
    api.add_exception_handler(AuthorizationError, lambda r, e: error_response(403, _("You may not do this.")))
    api.add_exception_handler(PermissionDenied, lambda r, e: error_response(403, _("You may not do this.")))
    api.add_exception_handler(Http404, lambda r, e: error_response(404, _("Not found.")))
    api.add_exception_handler(HttpError, lambda r, e: error_response(e.status_code, str(e)))
    api.add_exception_handler(TooManyFailures, on_too_many_failures)
    api.add_exception_handler(RequestDataTooBig, lambda r, e: too_large(r))

    def on_unexpected(request, exc):
        from wangge.core.errors import database_unavailable, is_connection_error

        if is_connection_error(exc):
            log.warning("database unavailable on %s: %s", request.path, exc)
            return database_unavailable(request)
        log.exception("API error on %s", request.path)
        return error_response(500, _("Something went wrong on the server. It has been logged."))

    api.add_exception_handler(Exception, on_unexpected)
