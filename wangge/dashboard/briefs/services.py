"""Make and keep a brief: build its content once, write the .docx and the PDF under
WANGGE_VAR_DIR/briefs/, record them. Making the same brief again replaces its files (one row)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from wangge.core.models import Area

from ..choices import BriefKind
from ..figures import Period
from ..models import Brief
from .content import build
from .docx_writer import write_docx
from .pdf_writer import write_pdf


def brief_dir() -> Path:
    return Path(settings.VAR_DIR) / "briefs"


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
    folder = brief_dir() / f"{period.end:%Y}"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{area.code if area else 'u' + str(made_for.pk)}"
    with transaction.atomic():
        brief, _created = Brief.objects.select_for_update().get_or_create(
            kind=kind, starts_on=period.start, ends_on=period.end, made_for=made_for, area=area,
            defaults={"docx_file": f"{folder.name}/{stem}.docx", "pdf_file": f"{folder.name}/{stem}.pdf"})
        for name, body in ((brief.docx_file, docx), (brief.pdf_file, pdf)):
            target = brief_dir() / name
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(body)
            partial.replace(target)  # readers never see half a file
        if not _created:
            brief.version += 1
            brief.save(update_fields=["version", "updated_at"])
    return brief


def path_of(brief: Brief, fmt: str) -> Path:
    return brief_dir() / (brief.docx_file if fmt == "docx" else brief.pdf_file)
