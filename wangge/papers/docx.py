"""A paper as .docx in the official layout (the same sheet as pdf.py): 仿宋 body, 黑体 title, A4."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .layout import Sheet, addressee

BODY_FONT, TITLE_FONT = "仿宋", "黑体"
MARGINS = {"left_margin": Mm(28), "right_margin": Mm(26), "top_margin": Mm(25), "bottom_margin": Mm(20)}


def _run(paragraph, text: str, size: float, font: str = BODY_FONT, bold=False, red=False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
    if red:
        run.font.color.rgb = RGBColor(0xC0, 0, 0)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _line(doc, text: str, size: float = 14, font=BODY_FONT, align=None, indent=True, bold=False, red=False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _run(p, text, size, font, bold, red)
    return p


def write_docx(sheet: Sheet) -> bytes:
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for name, value in MARGINS.items():
            setattr(section, name, value)
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    if sheet.void:
        _line(doc, f"本文书已作废：{sheet.void_reason}", 14, align=centre, indent=False, red=True)
    _line(doc, sheet.issuer, 16, align=centre, indent=False)
    _line(doc, sheet.title, 22, TITLE_FONT, centre, indent=False, bold=True)
    _line(doc, sheet.number, 14, align=centre, indent=False)
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in sheet.fields:
        cells = facts.add_row().cells
        _run(cells[0].paragraphs[0], label, 12)
        _run(cells[1].paragraphs[0], value, 12)
    for text in sheet.before:
        _line(doc, text, indent=not addressee(text))
    for n, item in enumerate(sheet.items, start=1):
        _line(doc, f"{n}. {item}")
    for text in sheet.after:
        _line(doc, text)
    if sheet.note:
        _line(doc, f"补充说明：{sheet.note}")
    if sheet.signature:
        p = _line(doc, "当事人签名：", indent=False)
        p.add_run().add_picture(io.BytesIO(sheet.signature), width=Mm(45))
        _run(p, f"　{sheet.signed_on}", 14)
    elif sheet.refused:
        _line(doc, f"当事人拒绝签收。见证人：{sheet.witness}　{sheet.signed_on}", indent=False)
    else:
        _line(doc, "当事人签名：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿", indent=False)
    _line(doc, f"{sheet.issuer}（印章）", align=right, indent=False)
    _line(doc, sheet.date, align=right, indent=False)
    p = doc.add_paragraph()
    p.add_run().add_picture(io.BytesIO(sheet.qr_png()), width=Mm(26))
    _line(doc, "扫码核验本文书真伪", 10, indent=False)
    _line(doc, sheet.verify_url, 8, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
