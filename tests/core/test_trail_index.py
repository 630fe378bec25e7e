"""#21: the trail grows with every change the town makes, so one record's trail must stay an index look-up
— the planner's own account (EXPLAIN) is the oracle, not our code. On PostgreSQL the planner is told
not to scan sequentially, which a small test table would otherwise prefer: the question is whether an
index serves the filter and the order, not what the planner picks for ten rows."""

from django.db import connection

from wangge.core.models import AuditEntry


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())


def test_one_records_trail_is_read_through_the_object_time_index(world):
    premises = next(iter(world.premises.values()))
    plan = plan_of(AuditEntry.objects.for_object(premises)[:200])  # as core/trail.py::trail_of reads it
    assert "audit_object_time" in plan, plan
    if connection.vendor == "sqlite":
        assert "SCAN core_auditentry" not in plan.replace("USING INDEX", "")  # a search, not a full scan
    else:
        assert "Seq Scan" not in plan
