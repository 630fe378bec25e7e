"""Between two pieces of background work a long-running process lets go of a connection that is
broken or past CONN_MAX_AGE, as Django does between requests. Not inside a transaction: a caller
that holds one (a test, a command run in an atomic block) keeps its connection."""

from django.db import close_old_connections, connection


def release_connection() -> None:
    if not connection.in_atomic_block:
        close_old_connections()
