"""The home page: 待我处理 for those who act on work, the town dashboard for everyone else."""

from django.shortcuts import render

from wangge.core.permissions import login_required
from wangge.core.roles import acts

from . import views
from .inbox import inbox as gather


@login_required
def start(request):
    if acts(request.user):
        return inbox(request)
    return views.home(request)


@login_required
def inbox(request):
    return render(request, "dashboard/inbox.html", {"sections": gather(request.user),
                                                  "calendar_warning": views.calendar_warning(request.user)})
