"""The requester's own rating link (企业自评) for a demand order.

The link carries a token signed with the secret key (django.core.signing, its own salt) that names one
order and how many times the requester has rated it so far: it is valid for that order only, once (a
rating makes the count move on, so the same link is spent), for REQUESTER_RATING_DAYS days (30) from
when the link was made (the order page makes a fresh one each time it is shown). It is accepted only
once the order is closed: the work must be done before it is rated. Nothing is stored: the token is
checked against the order each time (`services.rate_by_requester` re-checks under a row lock).
"""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from .choices import Kind, State, Verb
from .models import WorkOrder

SALT = "wangge.workorders.requester-rating"


def valid_days() -> int:
    return int(getattr(settings, "REQUESTER_RATING_DAYS", 30))


def rate_limit() -> int:
    """Requests per client address per minute to the public rating page (0: no limit)."""
    return int(getattr(settings, "REQUESTER_RATING_RATE_LIMIT", 30))


class RatingRefused(Exception):
    """The link cannot be used (bad, expired, spent, or the work not done yet): `message` says why."""

    def __init__(self, message: str, order: WorkOrder | None = None):
        super().__init__(message)
        self.message = message
        self.order = order


def ratings_so_far(order: WorkOrder) -> int:
    return order.events.filter(verb=Verb.RATE).count()


def may_have_link(order: WorkOrder) -> bool:
    return order.kind == Kind.DEMAND


def make_token(order: WorkOrder) -> str:
    return signing.dumps([order.pk, ratings_so_far(order)], salt=SALT, compress=False)


def order_for(token: str, *, locked: bool = False) -> WorkOrder:
    """The order the token names, if it may be rated with it now; RatingRefused otherwise."""
    try:
        pk, rounds = signing.loads(token, salt=SALT, max_age=valid_days() * 86400)
    except signing.SignatureExpired:
        raise RatingRefused(
            _("This rating link has expired. Ask the staff handling your demand for a new one.")) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise RatingRefused(_("This rating link is not valid. Check that it was copied in full.")) from None
    orders = WorkOrder.objects.select_for_update() if locked else WorkOrder.objects
    order = orders.filter(pk=pk, kind=Kind.DEMAND).first() if isinstance(pk, int) else None
    if order is None:
        raise RatingRefused(_("This rating link is not valid. Check that it was copied in full."))
    if ratings_so_far(order) != rounds:
        raise RatingRefused(_("This rating link has already been used. Thank you for your answer."), order)
    if order.state != State.CLOSED:
        raise RatingRefused(_("This demand is still being handled. You can rate it once it is done."), order)
    return order
