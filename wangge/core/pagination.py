"""The API's page-number pagination with bounds: an absurd page number is a 422, not an SQL offset
the database cannot hold (SQLite: "datatype mismatch")."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
