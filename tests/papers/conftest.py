"""Inspections that give papers: a rectification with suspension at 老王面馆 and one at 北虹超市 (both
regulated by the market office, an enforcement unit), photos and signatures in a temporary folder."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from wangge.papers.models import PaperUnit

from ..inspections.helpers import COMPLIANT, campaign, photo, submit


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def rectify(world, c, premises_key: str, suspend=True):
    task = c.tasks.get(premises=world.premises[premises_key])
    inspection, _new = submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                              rectification_items="补建消杀台账，每日记录消毒情况",
                              deadline=timezone.localdate() + datetime.timedelta(days=5), suspend=suspend,
                              photos=[("", photo())])
    return inspection


@pytest.fixture
def inspections(world, media):
    c = campaign(world)
    PaperUnit.objects.create(department=world.departments["market"], prefix="长新市监",
                             issuer_name="长宁区市场监督管理局新泾市场监督管理所")
    return c, rectify(world, c, "linquan1"), rectify(world, c, "beihong1", suspend=False)


def signature_png(strokes: bool = True, size=(360, 180)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if strokes:
        ImageDraw.Draw(image).line([(20, 120), (80, 40), (140, 130), (220, 50), (320, 110)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def signature_upload(**kw) -> SimpleUploadedFile:
    return SimpleUploadedFile("signature.png", signature_png(**kw), content_type="image/png")
