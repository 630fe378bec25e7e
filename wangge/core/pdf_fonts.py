"""The CJK font every PDF of ours embeds (WenQuanYi Micro Hei, Debian's fonts-wqy-microhei), so every
viewer shows the Chinese: the briefs (dashboard) and the enforcement papers (papers) share it. Without
the font file it falls back to reportlab's CID font STSong-Light, which is not embedded (viewers
without the Adobe Asian font pack show boxes), and logs a warning."""

import logging
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
EMBEDDED, FALLBACK = "WenQuanYiMicroHei", "STSong-Light"


def _register() -> str:
    if FONT_FILE.is_file():
        pdfmetrics.registerFont(TTFont(EMBEDDED, str(FONT_FILE), subfontIndex=0))
        return EMBEDDED
    log.warning("CJK font %s missing (install fonts-wqy-microhei): PDFs fall back to the non-embedded %s",
                FONT_FILE, FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


FONT = _register()
