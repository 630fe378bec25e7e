"""#24.2: what a log handler writes holds no ID or mobile number in full, tracebacks included, and every
line names the request. The output checked is the configured handler's formatted text, not the records."""

import io
import logging

import pytest

from wangge.core.logging import MaskingFormatter, request_id_context

# GB 11643's own example number (check character X) and a mobile number.
ID_NUMBER, ID_MASKED = "11010519491231002X", "110105********002X"
PHONE, PHONE_MASKED = "13912345678", "139****5678"


class Resident:
    def __init__(self, id_number, phone):
        self.id_number, self.phone = id_number, phone

    def __repr__(self):
        return f"Resident(id_number={self.id_number!r}, phone={self.phone!r})"


@pytest.fixture
def console():
    """The console handler that settings.LOGGING configures, writing into a StringIO for the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    # Swap the stream without setStream(), which flushes the old one: under pytest's capture the stream
    # the handler was configured with may be closed by now.
    old, handler.stream = handler.stream, buffer
    try:
        yield buffer
    finally:
        handler.stream = old


def test_every_configured_handler_formats_masked():
    from django.conf import settings

    formatters = settings.LOGGING["formatters"]
    for name, handler in settings.LOGGING["handlers"].items():
        assert formatters[handler["formatter"]]["()"] == "wangge.core.logging.MaskingFormatter", name
    for name in ("", "django", "django.request", "django.server", "wangge.api"):
        logger = logging.getLogger(name)
        while logger is not None:  # the handlers a record reaches, as logging walks them
            for handler in logger.handlers:
                if handler.get_name():  # ours, not pytest's capture handlers
                    assert isinstance(handler.formatter, MaskingFormatter), (name, handler)
            logger = logger.parent if logger.propagate else None


def test_exception_traceback_is_masked_and_names_the_request(console):
    log = logging.getLogger("wangge.test")
    resident = Resident(ID_NUMBER, PHONE)
    with request_id_context("req-4242abcd"):
        try:
            raise ValueError(f"cannot save {resident!r} ({ID_NUMBER}, 13912345678)")
        except ValueError:
            log.exception("saving %s failed", resident)
    output = console.getvalue()
    lines = output.rstrip("\n").split("\n")
    assert len(lines) > 4 and "Traceback (most recent call last)" in output  # the traceback was written
    assert ID_NUMBER not in output and PHONE not in output
    assert ID_NUMBER.lower() not in output
    assert ID_MASKED in output and PHONE_MASKED in output
    assert output.count(ID_MASKED) >= 3  # message, exception text and the source line that raised
    assert all("req-4242abcd" in line for line in lines), output


def test_a_line_outside_a_request_shows_a_dash(console):
    logging.getLogger("wangge.test").warning("nothing to do for %s", PHONE)
    output = console.getvalue()
    assert " [-] " in output and PHONE_MASKED in output and PHONE not in output


def test_a_served_request_logs_its_id(client, console):
    response = client.get(f"/no-such-page-{PHONE}/")  # Django logs "Not Found: <path>"
    assert response.status_code == 404
    output = console.getvalue()
    assert "Not Found" in output and PHONE not in output and PHONE_MASKED in output
    assert f"[{response['X-Request-ID']}]" in output


def test_after_the_request_lines_name_no_request(client, console):
    client.get("/no-such-page/")
    logging.getLogger("wangge.test").warning("after")
    assert console.getvalue().rstrip("\n").split("\n")[-1].endswith("WARNING [-] wangge.test after")


def test_the_traceback_cached_on_the_record_is_masked(console):
    # Handlers after ours (any formatter) reuse record.exc_text: it must hold no full number either.
    records = []
    collector = logging.Handler()
    collector.emit = records.append
    log = logging.getLogger("wangge.test")
    log.addHandler(collector)
    try:
        try:
            raise RuntimeError(f"phone {PHONE}")
        except RuntimeError:
            log.exception("failed")
    finally:
        log.removeHandler(collector)
    (record,) = records
    assert record.exc_text and PHONE not in record.exc_text and PHONE_MASKED in record.exc_text
    assert PHONE not in logging.Formatter().format(record)
