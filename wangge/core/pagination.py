"""Pages: the API's page-number pagination with bounds (an absurd page number is a 422, not an SQL
offset the database cannot hold — SQLite: "datatype mismatch"), and the web lists' pages read as a
deferred join (docs/PERFORMANCE.md, "Lists at district scale")."""

from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


# --- the pages of the web lists -------------------------------------------------------------------

PER_PAGE = 50


class DeferredJoinPaginator(Paginator):
    """Django's paginator, but a page is read as a deferred join: first only the ids of the page, in
    the list's order (`SELECT id … ORDER BY … LIMIT 50 OFFSET n`, which an index on the ordering
    answers without reading the rows it skips), then the full rows, with their joins, for those ids.
    Page 500 then costs a walk of an index, not 25,000 wide rows built and thrown away. Always two
    queries after the count, on page 1 as on the last."""

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(page_slice(self.object_list, number, self.per_page), number, self)


def page_slice(queryset, number: int, per_page: int = PER_PAGE) -> list:
    """The rows of page `number` (from 1) of an ordered queryset: the same rows, in the same order, as
    `list(queryset[(number - 1) * per_page:number * per_page])`."""
    bottom = (number - 1) * per_page
    ids = list(queryset.values_list("pk", flat=True)[bottom:bottom + per_page])
    if not ids:
        return []
    # The full rows keep the queryset's filters (its visibility among them), joins and prefetches.
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def paginate_list(queryset, number, per_page: int = PER_PAGE):
    """The page a list view shows: out-of-range and malformed numbers give the last or first page."""
    return DeferredJoinPaginator(queryset, per_page).get_page(number)
