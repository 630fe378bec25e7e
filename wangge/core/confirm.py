"""One confirmation step for consequential actions, and undo within a minute where undo is safe.

Confirm: the action's view asks `needs_confirmation(request)`; while it is true (a GET of the action URL, or
a POST without `confirmed=1`) it changes nothing and returns `confirm_page(...)`: a server-rendered page that
says in plain Chinese what will happen, with the numbers, and a button re-posting the same fields with
`confirmed=1`. No script, so it works without JS, under the CSP, and at 375 px.

Undo: after acting, the view calls `offer_undo(request, kind, label, payload)`. The offer (what was changed,
by whom, when) is kept in the session for UNDO_SECONDS; every page shows it as a flash with a 撤销 button
posting to `undo`. The undo view looks up the handler registered for `kind` (`register_undo`), which
reverts through the app's own services (they check permissions again and refuse when the rows moved on).
"""

import time
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .permissions import login_required

UNDO_SECONDS = 60
SESSION_KEY = "undo_offer"
_HANDLERS: dict[str, Callable] = {}


def needs_confirmation(request) -> bool:
    return request.method != "POST" or request.POST.get("confirmed") != "1"


def confirm_page(request, *, title: str, consequences: list[str], action: str, cancel: str,
                 button: str, danger: bool = True):
    """The confirmation step; the POST's own fields ride along (a GET has none)."""
    fields = [(name, value) for name in request.POST if name not in ("csrfmiddlewaretoken", "confirmed")
              for value in request.POST.getlist(name)]
    return render(request, "confirm.html", {"title": title, "consequences": consequences, "action": action,
                                            "cancel": cancel, "button": button, "fields": fields,
                                            "danger": danger})


def register_undo(kind: str, handler: Callable) -> None:
    """`handler(user, payload)` reverts and returns a success message, or raises ValidationError /
    PermissionDenied."""
    _HANDLERS[kind] = handler


def offer_undo(request, kind: str, label: str, payload: dict, back: str) -> None:
    request.session[SESSION_KEY] = {"token": uuid.uuid4().hex, "kind": kind, "label": label, "payload": payload,
                                    "user": request.user.pk, "at": time.time(), "back": back}


def current_offer(request) -> dict | None:
    offer = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not offer or time.time() - offer["at"] > UNDO_SECONDS:
        return None
    return offer


def undo_offer(request) -> dict:
    """Context processor: the offer to show beside the messages, while it is valid."""
    return {"undo_offer": current_offer(request)}


@require_POST
@login_required
def undo(request):
    token = request.POST.get("token", "")
    offer = request.session.get(SESSION_KEY)
    if not offer or offer["token"] != token or offer["user"] != request.user.pk:
        messages.error(request, _("There is nothing to undo."))
        return redirect("home")
    back = offer.get("back") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    del request.session[SESSION_KEY]
    if time.time() - offer["at"] > UNDO_SECONDS:
        messages.error(request, _("More than a minute has passed: this can no longer be undone."))
        return redirect(back)
    try:
        messages.success(request, _HANDLERS[offer["kind"]](request.user, offer["payload"]))
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("You may not undo this.")
        messages.error(request, _("Not undone: %(reason)s") % {"reason": text})
    return redirect(back)
