"""What guards the trail (留痕) against being emptied: the question "does this database hold one?"
and the PostgreSQL session setting that lets a deliberate flush past the TRUNCATE trigger."""

ALLOW_TRUNCATE = "SET LOCAL wangge.allow_truncate = 'on'"


def holds_trail(connection) -> bool:
    table = "core_auditentry"
    if table not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 (a constant)
        return cursor.fetchone() is not None
