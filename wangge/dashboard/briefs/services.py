"""Make and keep a brief: build its content once, write the .docx and the PDF to the file storage
(briefs/<year>/…: MEDIA_ROOT, or object storage with STORAGE_URL — docs/DEPLOY.md), record them.
Making the same brief again replaces its files (one row): the new files are written under fresh
names first and the old ones deleted once the row points at the new, so a reader never sees half."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from wangge.core.models import Area

from ..choices import BriefKind
from ..figures import Period
from ..models import Brief
from .content import build
from .docx_writer import write_docx
from .pdf_writer import write_pdf


def issuer_for(user, area: Area | None) -> str:
    if area is not None:
        return area.name
    own = user.areas.order_by("path").first()
    if own is not None:
        return own.name
    root = Area.objects.filter(parent__isnull=True).order_by("code").first()
    return root.name if root else ""


def make_brief(made_for, kind: str, period: Period, area: Area | None = None, language: str = "zh-hans") -> Brief:
    """Figures as `made_for` sees them for `period`. Anyone signed in may make a brief for themselves
    (it shows only what they see); the scheduled job makes one for an area (see the command)."""
    kind = BriefKind(kind)
    with translation.override(language):
        content = build(made_for, kind, period, issuer_for(made_for, area))
        docx, pdf = write_docx(content), write_pdf(content)
    stem = f"{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{area.code if area else 'u' + str(made_for.pk)}"
    names = [default_storage.save(f"briefs/{period.end:%Y}/{stem}.{fmt}", ContentFile(body))
             for fmt, body in (("docx", docx), ("pdf", pdf))]
    try:
        with transaction.atomic():
            brief, created = Brief.objects.select_for_update().get_or_create(
                kind=kind, starts_on=period.start, ends_on=period.end, made_for=made_for, area=area,
                defaults={"docx_file": names[0], "pdf_file": names[1]})
            if not created:
                old = [brief.docx_file, brief.pdf_file]
                brief.docx_file, brief.pdf_file = names
                brief.version += 1
                brief.save(update_fields=["docx_file", "pdf_file", "version", "updated_at"])
                transaction.on_commit(lambda: _delete(old))
    except BaseException:
        _delete(names)  # nothing recorded: keep no orphan files
        raise
    return brief


def _delete(names) -> None:
    for name in names:
        default_storage.delete(name)


def read_brief(brief: Brief, fmt: str) -> bytes | None:
    """The file's bytes, or None when it is missing from the storage."""
    name = brief.docx_file if fmt == "docx" else brief.pdf_file
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
