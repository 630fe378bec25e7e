"""Wangge (网格): the platform a town government runs its grassroots campaigns on."""

from .celery import app as celery_app

__all__ = ["celery_app"]
