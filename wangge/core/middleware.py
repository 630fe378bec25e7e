import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from . import audit
from .logging import start_request
from .text import clean_querydict

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_of(request) -> str:
    """The proxy's id for this request when it comes from a trusted proxy and looks like one (letters,
    digits, dot, dash, underscore; nothing else reaches the trail or a log line); otherwise a new one.
    A client cannot choose the id its changes are recorded under."""
    incoming = request.headers.get("X-Request-ID", "")
    from_proxy = request.META.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXIES
    return incoming if from_proxy and _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id (or keep a sane one from the proxy) and echo it in the response. Every
    log line written while serving the request names it (core/logging.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        start_request(request.request_id)  # until request_finished (core/apps.py)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class AuditContextMiddleware:
    """Every change made while serving a request is attributed to its user and request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.audit_context(request=request, request_id=getattr(request, "request_id", None)):
            return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless the user chose English with the switch (a cookie).

    Browsers in government offices often send English Accept-Language headers; the UI must still
    open in Chinese. API clients may ask for a language with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every response: scripts only from our own files (no inline
    scripts, no eval), nothing from other hosts, no framing. Styles allow inline attributes (htmx and
    ECharts set them) but not other hosts. `CONTENT_SECURITY_POLICY` in settings replaces it."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response



FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def too_large(request):
    message = _("The request is too large (at most %(mb)s MB).") % {
        "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class CleanInputMiddleware:
    """Control characters, NUL and lone surrogates leave every query string and form here, before any
    view or form sees them (core/text.py; the API's JSON bodies are cleaned by its parser). A body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (files aside) is a 413, not an error deep inside a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.content_type == "multipart/form-data"
        if limit and not multipart and length.isdecimal() and int(length) > limit:
            return too_large(request)
        try:
            request.GET = clean_querydict(request.GET)
            if request.method == "POST" and request.content_type in FORM_TYPES:
                request.POST = clean_querydict(request.POST)
        except RequestDataTooBig:
            return too_large(request)
        return self.get_response(request)
