"""Every indicator, for every kind of subject it measures, equals its direct SQL count on generated data
(tests/assessment/generated.py). The SQL is written here from the definitions in docs/ASSESSMENT.md,
not taken from the code under test."""

import pytest
from django.db import connection

from tests.assessment.generated import END, START, generate
from wangge.assessment.choices import SubjectKind
from wangge.assessment.indicators import BY_KEY, Bounds, compute, records

pytestmark = pytest.mark.django_db
B = Bounds(START, END)
GW, INS, DEPT, HOOD = SubjectKind.GRID_WORKER, SubjectKind.INSPECTOR, SubjectKind.DEPARTMENT, SubjectKind.NEIGHBOURHOOD


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _day_end(column: str) -> str:
    """The first moment after the local day `column` (a date) names: 16:00 UTC that day (Asia/Shanghai)."""
    if connection.vendor == "sqlite":
        return f"datetime({column}, '+16 hours')"
    return f"(({column})::timestamp + interval '16 hours') AT TIME ZONE 'UTC'"


def _sql(query: str, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall() if row[0] is not None}


ORDER_SUBJECT = {GW: "o.assignee_id", INS: "o.assignee_id", DEPT: "o.department_id", HOOD: "g.parent_id"}
ORDERS = "FROM workorders_workorder o JOIN core_area g ON g.id = o.grid_id"


def _orders(kind, where: str, met: str, params) -> dict:
    s = ORDER_SUBJECT[kind]
    return _sql(f"SELECT {s}, COUNT(*), SUM(CASE WHEN {met} THEN 1 ELSE 0 END) {ORDERS} WHERE {where} GROUP BY {s}",
                params)


def oracle(key: str, kind: str) -> dict:
    since, cutoff = _dt(B.since), _dt(B.cutoff)
    if key == "orders_on_time":
        return _orders(kind, "o.deadline BETWEEN %s AND %s",
                       f"o.closed_at IS NOT NULL AND o.closed_at < {_day_end('o.deadline')}", [START, END])
    if key == "reopen_rate":
        return _orders(kind, "o.id IN (SELECT order_id FROM workorders_workorderevent WHERE verb = 'verify' "
                             "AND at >= %s AND at < %s)",
                       "o.id IN (SELECT order_id FROM workorders_workorderevent WHERE verb = 'reopen' "
                       "AND at >= %s AND at < %s)", [since, cutoff, since, cutoff])
    if key == "satisfaction":
        return _orders(kind, "o.kind IN ('demand', 'public_report') AND o.satisfaction <> '' "
                             "AND o.closed_at >= %s AND o.closed_at < %s",
                       "o.satisfaction IN ('satisfied', 'basically_satisfied')", [since, cutoff])
    if key == "overdue_per_100":
        return _orders(kind, "o.created_at < %s AND (o.closed_at IS NULL OR o.closed_at >= %s)",
                       "o.deadline < %s AND (o.closed_at IS NULL OR o.closed_at >= %s)",
                       [END, cutoff, cutoff, since])  # params in the order of the SELECT, then the WHERE
    if key == "tasks_on_time":
        subject = {GW: "m.user_id", INS: "m.user_id", HOOD: "g.parent_id"}[kind]
        join = ("JOIN inspections_team_members m ON m.team_id = t.team_id" if kind in (GW, INS) else
                "JOIN places_premises p ON p.id = t.premises_id JOIN core_area g ON g.id = p.grid_id")
        return _sql(f"SELECT {subject}, COUNT(*), SUM(CASE WHEN t.state = 'done' AND i.inspected_at < "
                    f"{_day_end('t.planned_on')} THEN 1 ELSE 0 END) FROM inspections_task t {join} "
                    "LEFT JOIN inspections_inspection i ON i.id = t.inspection_id "
                    "WHERE t.planned_on BETWEEN %s AND %s AND t.reason <> 'reinspection' GROUP BY " + subject,
                    [START, END])
    if key == "care_visits":
        subject = {GW: "s.user_id", HOOD: "g.parent_id"}[kind]
        join = "JOIN core_user_areas s ON s.area_id = r.grid_id" if kind == GW else ""
        return _sql(f"SELECT {subject}, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM community_carevisit v "
                    "WHERE v.resident_id = r.id AND v.visited_on BETWEEN %s AND %s) THEN 1 ELSE 0 END) "
                    f"FROM community_resident r JOIN core_area g ON g.id = r.grid_id {join} "
                    "WHERE r.status = 'living' AND r.merged_into_id IS NULL AND r.created_at < %s AND "
                    "(r.disabled OR r.bedridden OR r.chronic_illness OR r.pregnant OR r.low_income "
                    " OR (r.lives_alone AND r.birth_date <= %s)) GROUP BY " + subject,
                    [START, END, cutoff, END.replace(year=END.year - 60)])
    raise AssertionError(key)


def _rate(met, counted):
    return round(100.0 * met / counted, 1)


RATES = ["orders_on_time", "reopen_rate", "satisfaction", "overdue_per_100", "tasks_on_time", "care_visits"]


@pytest.fixture
def generated(world):
    return generate(world)


def test_each_rate_equals_its_direct_sql_count(generated):
    for key in RATES:
        _check_rate(key)


def _check_rate(key):
    indicator = BY_KEY[key]
    checked = 0
    for kind in indicator.keys:
        expected = oracle(key, kind)
        got = compute(indicator, kind, B)
        want = {k: (c, int(m)) for k, (c, m) in expected.items()}
        assert {k: (v.counted, v.met) for k, v in got.items()} == want, kind
        assert all(got[k].value == _rate(int(m), c) for k, (c, m) in expected.items())
        checked += sum(c for c, _m in expected.values())
        # The drill-down lists exactly the records counted, and those meeting the measure.
        for subject, (counted, met) in expected.items():
            assert records(indicator, kind, subject, B).count() == counted
            assert records(indicator, kind, subject, B, met=True).count() == int(met)
    assert checked > 0, key  # the generated data exercised it


def test_first_response_equals_the_mean_of_the_direct_gaps(generated):
    indicator = BY_KEY["first_response"]
    since, cutoff = _dt(B.since), _dt(B.cutoff)
    for kind in indicator.keys:
        s = ORDER_SUBJECT[kind]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {s}, o.created_at, (SELECT MIN(e.at) FROM workorders_workorderevent e "
                           f"WHERE e.order_id = o.id AND e.verb = 'start' AND e.at < %s) {ORDERS} "
                           "WHERE o.created_at >= %s AND o.created_at < %s AND o.assignee_id IS NOT NULL",
                           [cutoff, since, cutoff])
            rows = cursor.fetchall()
        from django.db.models import DateTimeField

        parse = DateTimeField().to_python
        by = {}
        for subject, created, first in rows:
            if subject is not None:
                by.setdefault(subject, []).append(None if first is None else parse(first) - parse(created))
        got = compute(indicator, kind, B)
        assert set(got) == set(by)
        for subject, gaps in by.items():
            taken = [g.total_seconds() / 3600 for g in gaps if g is not None]
            assert (got[subject].counted, got[subject].met) == (len(gaps), len(taken))
            assert got[subject].value == (round(sum(taken) / len(taken), 1) if taken else None)
