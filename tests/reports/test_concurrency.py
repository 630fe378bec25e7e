"""Two reports of the same problem at the same moment: the grid's row lock makes the second wait for the
first, so they share one order (PostgreSQL: SQLite writes one at a time anyway)."""

import threading

import pytest
from django.db import connection

from wangge.reports import services

from .conftest import count


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_open_one_order(routed):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    barrier = threading.Barrier(2)
    made, errors = [], []

    def send(number):
        try:
            barrier.wait()
            made.append(services.submit_report(category="sanitation", description="垃圾桶满溢没人清运",
                                               address=f"仙霞西路{number}号"))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in (5, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count("SELECT COUNT(*) FROM reports_publicreport") == 2
    assert count("SELECT COUNT(DISTINCT order_id) FROM reports_publicreport") == 1
    assert count("SELECT COUNT(*) FROM workorders_workorder") == 1
