"""The town's maintenance work as background jobs (background.py): the nightly purge of personal data past
its retention (privacy.purge). Key rotation registers itself in key_rotation.py."""

from django.utils.translation import gettext_lazy as _l

from . import background, privacy


def _purge(job, report) -> dict:
    codes = job.params.get("kinds") or None
    return {"counts": privacy.purge(codes=codes, dry_run=bool(job.params.get("dry_run")), report=report)}


background.register("purge", _l("Personal data purge"), _purge)
