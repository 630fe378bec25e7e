"""The public verification link printed as a QR code on every paper.

The token is the paper's random `public_key` (144 bits, not its id) signed with the secret key under
its own salt: a link cannot be guessed, and one not made here is refused before any query. It never
expires: a paper handed over years ago must still be checkable."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Paper

SALT = "wangge.papers.verify"


def token(paper: Paper) -> str:
    return signing.Signer(salt=SALT).sign(paper.public_key)


def paper_for(value: str) -> Paper | None:
    try:
        key = signing.Signer(salt=SALT).unsign(value)
    except signing.BadSignature:
        return None
    return Paper.objects.select_related("department").filter(public_key=key).first()


def path(paper: Paper) -> str:
    return reverse("papers_public:verify", kwargs={"token": token(paper)})


def url(paper: Paper, base: str = "") -> str:
    """The absolute link: `base` (the request's own scheme and host) or SITE_URL."""
    return f"{(base or settings.SITE_URL).rstrip('/')}{path(paper)}"


def public_facts(paper: Paper) -> dict:
    """All the page shows: no names of people, no phone, no ID, not even the party."""
    return {"number": paper.number, "unit": paper.issuer_name, "date": paper.issued_on,
            "kind": paper.get_kind_display(), "status": paper.status, "status_label": paper.get_status_display(),
            "voided_on": paper.voided_at}
