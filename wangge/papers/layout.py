"""One paper ready to be drawn (pdf.py, docx.py): its fixed content, the signature or the refusal, the
issuer and date, and the verification link with its QR code."""

import io
from dataclasses import dataclass

import segno
from django.core.files.storage import default_storage

from . import verify
from .choices import PaperStatus
from .content import day


@dataclass
class Sheet:
    issuer: str
    title: str
    number: str
    fields: list
    before: list
    items: list
    after: list
    note: str
    signature: bytes | None
    signed_on: str
    refused: bool
    witness: str
    date: str
    void: bool
    void_reason: str
    verify_url: str

    def qr_png(self, scale: int = 4) -> bytes:
        out = io.BytesIO()
        qr_code(self.verify_url).save(out, kind="png", scale=scale, border=2)
        return out.getvalue()


def addressee(text: str) -> bool:
    """The party's name before the body ("老王面馆：") stands flush left, as in a letter."""
    return text.endswith("：") and len(text) <= 60 and "，" not in text


def qr_code(url: str):
    """The QR code of the verification link (error correction M: survives a crease or a stamp)."""
    return segno.make(url, error="m", micro=False)


def signature_bytes(paper) -> bytes | None:
    if not paper.signature:
        return None
    try:
        with default_storage.open(paper.signature.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def sheet(paper, base_url: str = "") -> Sheet:
    c = paper.content
    return Sheet(issuer=paper.issuer_name, title=c.get("title", ""), number=paper.number,
                 fields=c.get("fields", []), before=c.get("before", []), items=c.get("items", []),
                 after=c.get("after", []),
                 note=paper.note, signature=signature_bytes(paper),
                 signed_on=day(paper.signed_at.date()) if paper.signed_at else "", refused=paper.refused,
                 witness=paper.witness, date=day(paper.issued_on), void=paper.status == PaperStatus.VOID,
                 void_reason=paper.void_reason, verify_url=verify.url(paper, base_url))
