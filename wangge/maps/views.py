"""The town map page, the map's JSON layers and search, and the boundary import page."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm

from . import layers, services
from .forms import BoundaryImportForm

UPLOADS = "boundary-uploads"


def _json(body) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@login_required
def town_map(request):
    return render(request, "maps/town_map.html", {"by_risk": request.GET.get("colour") == "risk"})


@login_required
def layers_data(request):
    user = request.user
    return _json({"roads": layers.roads(user), "premises": layers.premises(user, request.GET),
                  "sites": layers.sites(user), "compounds": layers.compounds(user)})


@login_required
def search_data(request):
    return _json({"results": layers.search(request.user, request.GET.get("q", "")[:100])})


def _upload_path(token: str) -> Path:
    return Path(settings.VAR_DIR) / UPLOADS / f"{token}.bin"


@permission_required(Perm.IMPORT_BOUNDARIES)
def boundary_import(request):
    """Step one: the file is checked and the preview shown (the upload kept under a random token in the
    session); step two, confirm: the same file is checked again and written, all or nothing."""
    form = BoundaryImportForm(request.POST or None, request.FILES or None)
    preview, pending = None, request.session.get("boundary_upload")
    if request.method == "POST" and request.POST.get("confirm") and pending:
        path = _upload_path(pending["token"])
        try:
            result = services.import_boundaries(request.user, path.read_bytes(), pending["name"], pending["level"],
                                                pending["system"])
        except (ValidationError, FileNotFoundError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("Send the file again.")])))
        else:
            messages.success(request, _("%(n)s boundaries written.") % {"n": len(result.matched)})
            path.unlink(missing_ok=True)
            del request.session["boundary_upload"]
        return redirect("maps:boundary_import")
    if request.method == "POST" and form.is_valid():
        upload, level, system = form.cleaned_data["file"], form.cleaned_data["level"], form.cleaned_data["system"]
        data = upload.read()
        try:
            preview = services.preview(request.user, data, upload.name, level, system)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        except PermissionDenied:  # pragma: no cover - the decorator refuses first
            raise
        else:
            token = secrets.token_urlsafe(16)
            _upload_path(token).parent.mkdir(parents=True, exist_ok=True)
            _upload_path(token).write_bytes(data)
            request.session["boundary_upload"] = {"token": token, "name": upload.name[:100], "level": level,
                                                  "system": system}
    return render(request, "maps/boundary_import.html", {"form": form, "preview": preview})
