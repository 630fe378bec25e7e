"""`field__any=[...]`: one of these values. On PostgreSQL the values go as one array parameter
(`= ANY(%s)`), elsewhere as IN (%s, ...).

psycopg binds parameters on the client: an IN of a thousand values cost about as much to bind as to
run, and ten thousand as one array take a quarter of the time of ten INs of a thousand (20,000 keys
of an import's look-up: 0.27 s as INs of 1,000, 0.06 s as arrays of 10,000; docs/PERFORMANCE.md)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Lookup

SQLITE_BATCH = 1000  # values a query on SQLite (one parameter each)
ARRAY_BATCH = 10_000  # values a query on PostgreSQL (one parameter in all)


def batch_size() -> int:
    """How many values to look up per query on this database."""
    return ARRAY_BATCH if connection.vendor == "postgresql" else SQLITE_BATCH


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection, prepared=False) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            raise EmptyResultSet  # as IN () would: the branch matches nothing
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
