"""Log lines without personal data, each naming the request it belongs to.

`MaskingFormatter` masks ID numbers and mobile numbers in the whole formatted line: the message, the
exception's traceback (whose text and locals' reprs may hold them) and the stack, so what a handler
writes never holds one in full. Every line of a record, traceback lines included, carries the
request id (`-` outside a request). `MaskPersonalDataFilter` also masks the message itself, for
handlers that read the record rather than the formatted text.
"""

import contextlib
import contextvars
import logging
import re

from .crypto import mask_id_number, mask_phone

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

# The id of the request being served (set by core.middleware.RequestIdMiddleware); "" outside one.
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
NO_REQUEST = "-"


def mask_text(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return MOBILE.sub(lambda m: mask_phone(m.group()), text)


def start_request(request_id: str) -> None:
    """Name the request being served. Kept until the response is finished (Django logs a 4xx or 5xx
    response after the middleware has returned), then cleared by `end_request`."""
    _request_id.set(request_id)


def end_request(**kwargs) -> None:
    """Receiver of request_finished: lines written after it name no request."""
    _request_id.set("")


@contextlib.contextmanager
def request_id_context(request_id: str):
    """Log lines written inside carry this request id."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def current_request_id() -> str:
    """The request's id; else the id of an audit context (a command, a background job); else "-"."""
    request_id = _request_id.get()
    if not request_id:
        import sys

        audit = sys.modules.get("wangge.core.audit")  # never imported from here: logging is set up first
        request_id = audit.current().request_id if audit is not None else ""
    return request_id or NO_REQUEST


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RequestIdFilter(logging.Filter):
    """Sets record.request_id (for format strings that name it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class MaskingFormatter(logging.Formatter):
    """A Formatter whose whole output is masked and whose every line names the request.

    The first line follows the format string (which may use %(request_id)s); each following line
    (traceback, stack) starts with "[request id] ".
    """

    def format(self, record: logging.LogRecord) -> str:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        # logging caches the formatted traceback on the record (exc_text) for the handlers after this one:
        # leave only a masked copy there (formatException masks), whatever formatted it first.
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        first, *rest = mask_text(super().format(record)).split("\n")
        prefix = f"[{record.request_id}] "
        return "\n".join([first, *(prefix + line for line in rest)])

    def formatException(self, ei) -> str:
        return mask_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return mask_text(super().formatStack(stack_info))
