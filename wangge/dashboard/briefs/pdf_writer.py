"""The brief as PDF in an embedded TrueType CJK font (core/pdf_fonts.py: WenQuanYi Micro Hei, with its
fallback): every viewer shows the Chinese."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wangge.core.pdf_fonts import EMBEDDED, FALLBACK, FONT, FONT_FILE  # noqa: F401  (shared with the papers)

from .content import BriefContent, cell_text, figure_text

BULLET = "·"  # U+00B7, in the embedded font (checked by the tests)
PAGE = {"pagesize": A4, "leftMargin": 28 * mm, "rightMargin": 26 * mm, "topMargin": 30 * mm,
        "bottomMargin": 28 * mm}  # the Word file uses the same page (docx_writer)

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=6)
DATE = ParagraphStyle("date", fontName=FONT, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=12)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=14, leading=22, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=19, firstLineIndent=24, wordWrap="CJK")
SIGN = ParagraphStyle("sign", parent=BODY, alignment=TA_RIGHT, firstLineIndent=0)


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def write_pdf(content: BriefContent) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, title=content.title, **PAGE)
    story = [_p(content.title, TITLE)]
    if content.number:
        story.append(_p(content.number, DATE))
    story += [_p(content.date_line, DATE), _p(content.basis, DATE), *(_p(text, BODY) for text in content.body)]
    for index, section in enumerate(content.sections):
        story.append(_p(content.heading(index, section), HEADING))
        if section.note:
            story.append(_p(section.note, BODY))
        story += [_p(figure_text(f), BODY) for f in section.figures]
        for table in section.tables:
            if not table.rows:
                continue
            story += [Spacer(1, 4), _p(table.title, BODY)]
            data = [table.headers] + [[cell_text(c) for c in row] for row in table.rows]
            grid = Table(data, repeatRows=1)
            grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 10),
                                      ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                      ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
            story.append(grid)
        if section.notable:
            story.append(_p(_("Notable items"), BODY))
            story += [_p(f"{BULLET} {item.text}", BODY) for item in section.notable]
    story += [Spacer(1, 12), _p(content.issuer, SIGN), _p(_("Generated %(at)s") % {"at": content.generated_at}, SIGN)]
    doc.build(story)
    return out.getvalue()
