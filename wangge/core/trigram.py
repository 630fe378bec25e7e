"""Substring search (`name LIKE '%…%'`) from an index: pg_trgm GIN indexes on PostgreSQL.

The lists search names, addresses and titles by any part (`icontains` / `contains`), which a B-tree
cannot answer. On PostgreSQL a GIN index of trigrams can, for a search of three characters or more
(pg_trgm splits Chinese too under a UTF-8 ctype: "王记餐" is one trigram); shorter searches and
SQLite read the rows in the list's order and stop at the page (measured in docs/PERFORMANCE.md,
"Lists at district scale": a full LIKE scan of 200,000 residents on SQLite stays within the budget).

`TrigramIndex` is a migration operation that does nothing on other databases, so the model state and
`makemigrations` stay vendor-neutral. The expression must be the one Django's lookup writes:
`icontains` is `UPPER(col::text) LIKE UPPER(%s)`, `contains` is `col::text LIKE %s`.
"""

from django.db import migrations, transaction
from django.db.utils import DatabaseError


def has_trigrams(connection) -> bool:
    """Create pg_trgm if we may (it is a trusted extension since PostgreSQL 13: the database's owner
    may); a role that may not leaves the search unindexed rather than failing the migration."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            pass
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


class TrigramIndex(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, name: str, table: str, column: str, upper: bool = True):
        self.name, self.table, self.column, self.upper = name, table, column, upper

    def state_forwards(self, app_label, state):
        pass  # not part of the model state: vendor-specific, like the audit trail's triggers

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not has_trigrams(schema_editor.connection):
            return
        quote = schema_editor.quote_name
        expression = f"({quote(self.column)}::text)"
        expression = f"UPPER{expression}" if self.upper else expression
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} "
                              f"USING gin (({expression}) gin_trgm_ops)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.table}.{self.column} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [], {"name": self.name, "table": self.table, "column": self.column,
                                             "upper": self.upper}
