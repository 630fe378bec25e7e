"""A review as the brief writers lay it out (.docx and PDF, dashboard/briefs): title, 文号, the period
and the moment its figures stand at, the text a person wrote, then the frozen figures, the comparison
and the notable items. Everything comes from the stored review, nothing is counted again."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wangge.dashboard.briefs.content import BriefContent
from wangge.dashboard.briefs.docx_writer import write_docx
from wangge.dashboard.briefs.pdf_writer import write_pdf
from wangge.dashboard.figures import Figure, Item, Section, Table

from .content import stored_sections


def _comparison(frozen: dict) -> Section | None:
    rows = frozen.get("comparison") or []
    if not rows:
        return None
    table = Table("comparison", _("Compared with %(what)s") % {"what": frozen["compared_with"]},
                  [_("Figure"), _("This period"), _("Before"), _("Change")],
                  [[Figure("label", "", r["label"]), Figure("now", "", r["now"]), Figure("before", "", r["before"]),
                    Figure("change", "", r["change"])] for r in rows])
    return Section("comparison", _("Comparison"), tables=[table])


def _notable(frozen: dict) -> Section | None:
    items = [Item(i["text"], i["url"]) for key in ("overdue", "repeat_offenders", "uncovered")
             for i in frozen.get(key, [])]
    return Section("notable", _("Notable items"), notable=items) if items else None


def review_content(review) -> BriefContent:
    frozen = review.frozen
    extra = [s for s in (_comparison(frozen), _notable(frozen)) if s is not None]
    made = review.approved_at or review.submitted_at or timezone.now()
    return BriefContent(title=review.title, date_line=frozen.get("date_line", ""), basis=frozen.get("basis", ""),
                        sections=[*stored_sections(frozen), *extra], issuer=review.area.name,
                        generated_at=timezone.localtime(made).strftime("%Y-%m-%d %H:%M"),
                        number=review.doc_number or _("(draft, not numbered)"),
                        body=tuple(p.strip() for p in review.text.splitlines() if p.strip()))


def review_file(review, fmt: str) -> bytes:
    with translation.override("zh-hans"):
        content = review_content(review)
        return write_docx(content) if fmt == "docx" else write_pdf(content)
