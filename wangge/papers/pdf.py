"""A paper as PDF in the official layout, with the embedded CJK font the briefs use (core/pdf_fonts.py):
issuer and title centred, the number under them, the party's facts, the body and numbered items, the
party's signature (or the witnessed refusal), the issuer and date on the right, the QR code to the
verification page with its link written out."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wangge.core.pdf_fonts import FONT

from .layout import Sheet, addressee

PAGE = {"pagesize": A4, "leftMargin": 28 * mm, "rightMargin": 26 * mm, "topMargin": 25 * mm,
        "bottomMargin": 20 * mm}
ISSUER = ParagraphStyle("issuer", fontName=FONT, fontSize=16, leading=24, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=4)
NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=10)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
RIGHT = ParagraphStyle("right", parent=PLAIN, alignment=TA_RIGHT)
VOID = ParagraphStyle("void", parent=PLAIN, textColor=colors.red, fontSize=14, alignment=TA_CENTER)
SMALL = ParagraphStyle("small", parent=PLAIN, fontSize=8, leading=11)


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _image(png: bytes, width: float) -> Image:
    picture = Image(io.BytesIO(png))
    ratio = width / picture.imageWidth
    picture.drawWidth, picture.drawHeight = width, picture.imageHeight * ratio
    return picture


def write_pdf(sheet: Sheet) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, title=f"{sheet.title} {sheet.number}", **PAGE)
    story = []
    if sheet.void:
        story.append(_p(f"本文书已作废：{sheet.void_reason}", VOID))
    story += [_p(sheet.issuer, ISSUER), _p(sheet.title, TITLE), _p(sheet.number, NUMBER)]
    facts = Table([[_p(k, PLAIN), _p(v, PLAIN)] for k, v in sheet.fields], colWidths=[38 * mm, None])
    facts.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [facts, Spacer(1, 8)]
    story += [_p(text, PLAIN if addressee(text) else BODY) for text in sheet.before]
    story += [_p(f"{n}. {item}", BODY) for n, item in enumerate(sheet.items, start=1)]
    story += [_p(text, BODY) for text in sheet.after]
    if sheet.note:
        story.append(_p(f"补充说明：{sheet.note}", BODY))
    story.append(Spacer(1, 14))
    if sheet.signature:
        story.append(Table([[_p("当事人签名：", PLAIN), _image(sheet.signature, 45 * mm), _p(sheet.signed_on, PLAIN)]],
                           colWidths=[30 * mm, 55 * mm, None], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    elif sheet.refused:
        story.append(_p(f"当事人拒绝签收。见证人：{sheet.witness}　{sheet.signed_on}", PLAIN))
    else:
        story.append(_p("当事人签名：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿", PLAIN))
    story += [Spacer(1, 18), _p(f"{sheet.issuer}（印章）", RIGHT), _p(sheet.date, RIGHT), Spacer(1, 14)]
    qr = _image(sheet.qr_png(), 26 * mm)
    story.append(Table([[qr, [_p("扫码核验本文书真伪", PLAIN), _p(sheet.verify_url, SMALL)]]],
                       colWidths=[30 * mm, None], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    doc.build(story)
    return out.getvalue()
