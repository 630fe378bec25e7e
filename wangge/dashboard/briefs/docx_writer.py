"""The brief as .docx in the usual official layout: centred title in a heiti face, a date line, numbered
section headings, figures as short lines, a table per breakdown, notable items, and the issuer."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .content import BriefContent, cell_text, figure_text

BODY_FONT, TITLE_FONT = "仿宋", "黑体"
# A4 with the PDF's margins (pdf_writer.PAGE), not python-docx's default US Letter.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"left_margin": Mm(28), "right_margin": Mm(26), "top_margin": Mm(30), "bottom_margin": Mm(28)}


def _a4(doc):
    for section in doc.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)


def _font(run, name: str, size: float, bold: bool = False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, size: float = 16, font: str = BODY_FONT, bold=False, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)
    return p


def write_docx(content: BriefContent) -> bytes:
    doc = Document()
    _a4(doc)
    _paragraph(doc, content.title, 22, TITLE_FONT, True, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if content.number:
        _paragraph(doc, content.number, 16, BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, content.date_line, 16, BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, content.basis, 14, BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for text in content.body:
        _paragraph(doc, text)
    for index, section in enumerate(content.sections):
        _paragraph(doc, content.heading(index, section), 16, TITLE_FONT, indent=True)
        if section.note:
            _paragraph(doc, section.note)
        for figure in section.figures:
            _paragraph(doc, figure_text(figure))
        for table in section.tables:
            if not table.rows:
                continue
            _paragraph(doc, table.title, 14, BODY_FONT, True)
            grid = doc.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
                _font(cell.paragraphs[0].add_run(header), BODY_FONT, 12, True)
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    _font(cell.paragraphs[0].add_run(cell_text(value)), BODY_FONT, 12)
        if section.notable:
            _paragraph(doc, _("Notable items"), 16, BODY_FONT, True)
            for item in section.notable:
                _paragraph(doc, f"· {item.text}")
    _paragraph(doc, content.issuer, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(doc, _("Generated %(at)s") % {"at": content.generated_at}, 12, align=WD_ALIGN_PARAGRAPH.RIGHT,
               indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
