"""Abstract bases: each domain model states only what is its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import AuditedModel, AuditedQuerySet
from .visibility import ScopedQuerySet


class DomainQuerySet(ScopedQuerySet, AuditedQuerySet):
    pass


class DomainModel(AuditedModel):
    """Timestamps, a version for optimistic locking, the audit trail and `visible_to`."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DomainQuerySet.as_manager()

    class Meta:
        abstract = True
