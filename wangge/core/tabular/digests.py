"""Rows imported before, recognised without cleaning them (issue #23: a second import of an unchanged
file within 1.5x of reading it).

When a row of a kind that `remembers` is imported (created, updated or found unchanged), a keyed digest
of its cells is stored with the record's id and the version the record has once written (ImportDigest).
A later file's row with the same digest, whose record the importer still sees (`kind.records`, through
visible_to) at that same version, cleans to what the record already holds: it is counted unchanged
without being cleaned, placed or compared. Anything that moves the record (an edit through the form or
the API, a status change: each bumps the version) sends the row through the full clean again, which
stores the digest anew.

What a row cleans to depends on more than its cells: the kind's `generation` (the reference data its
clean reads: categories, the grids this actor may name, a version of the cleaning code) is digested
with them, so a renamed category or a grid out of the actor's reach changes every digest.

The digest covers the row as read: every cell in the file's order (a change in a column the kind does
not read costs a full clean, nothing worse), with which column stands where. It is keyed
(core/crypto.py::keyed_blake2b): cells include a phone number, which the digest must not let anyone
recover by trying every number.

A whole file is recognised too (ImportFile): each digest written carries the id of the file whose
import wrote it (ImportDigest.file). The same bytes imported again, while every one of their rows'
digests still carries that id and its record the version it left, are the same rows into the same
records: counted unchanged without being read at all. One query counts them; anything short (a record
edited, deleted or out of reach, a row since written from another file) reads the file row by row as
above; every row that import writes, or finds unchanged, then carries the file's id (`mark`: only the
rows whose mark differs are written), so the file is recognised the next time.

Other bytes of the same rows (a workbook saved again, a CSV with other line endings) are told by the
rows' fingerprint (reading.py), keyed with the same things as the bytes (`content_digest`): an import
stores it with the file (ImportFile.content) and takes the file it names as its own, so its rows keep
one mark. Reading the rows once for it costs a sixth of a workbook's read (calamine parses the whole
sheet before the first row anyway); taking them one by one cost as much again as the read.
"""

import os

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Subquery, signals
from django.db.models.expressions import RawSQL

from .. import any_of
from ..crypto import keyed_blake2b
from ..models import ImportDigest, ImportFile

BATCH = any_of.SQLITE_BATCH  # digests per look-up on SQLite (one parameter each)
# On PostgreSQL, digests (and their ids and versions) go as array parameters, this many a statement, in
# look-ups and upserts alike. Looked up a thousand at a time, each query read the whole table (the
# planner's choice for a thousand values, on 100,000 digests) and 100,000 rows took 1.6 s; 0.5 s now.
# The batches the keys' look-ups use (core/any_of.py), named here so that tests can make them small.
ARRAY_BATCH = any_of.ARRAY_BATCH
ANALYSE_AFTER = 10_000  # digests written by one import
REMEMBER_BATCH = 1600  # rows per upsert on SQLite: 8,000 parameters, within its bound


FILE_VERSION = b"import-file-1"  # bump when reading.py would read the same bytes into other rows
FILE_BLOCK = 1 << 20  # bytes hashed at a time from a file on disk
CANDIDATES = 3  # files of one content checked, latest first (another file's import may hold the marks)


def basis(kind, actor, filename: str) -> bytes:
    """All that decides what a file's rows import as besides the rows, keyed into both of its digests: how
    it is read (its suffix), the kind's columns (their header names, examples and rules) and the kind's
    `generation` for this actor (read once per import: it asks the database)."""
    columns = [(c.key, sorted(c.names()), c.required, str(c.example), c.many) for c in kind.columns]
    suffix = os.path.splitext(filename.lower())[1]
    return b"\x00".join([FILE_VERSION, kind.name.encode(), suffix.encode(), repr(columns).encode(),
                         kind.generation(actor), b""])


def content_digest(basis: bytes, fingerprint: bytes) -> bytes:
    """The keyed digest of a file's rows (their fingerprint: reading.py) and of its `basis`."""
    digest = keyed_blake2b(b"import-content")
    digest.update(basis + fingerprint)
    return digest.digest()


def file_digest(basis: bytes, source) -> bytes:
    """A keyed digest of the file's bytes and of its `basis`."""
    digest = keyed_blake2b(b"import-file")
    digest.update(basis)
    if isinstance(source, bytes | bytearray | memoryview):
        digest.update(source)
    else:
        with open(source, "rb") as file:
            while block := file.read(FILE_BLOCK):
                digest.update(block)
    return digest.digest()


def _holds(kind, actor, file: ImportFile) -> bool:
    """Whether the file's import can be told without taking its rows: each of its rows' digests still
    marked with it, for a record the actor sees at the version stored with the digest."""
    if not file.rows or file.rows_read > settings.IMPORT_MAX_ROWS:
        return False
    marked = ImportDigest.objects.filter(kind=kind.name, file=file.pk)
    current = kind.records(actor).filter(pk=OuterRef("object_id"), version=OuterRef("version"))
    # Each row of the file imported into its own record (a second row of one record is refused), and a
    # record holds one digest: as many current marked digests as rows means every row is where it was.
    return marked.filter(Exists(current)).count() == file.rows


def recognised_file(kind, actor, digest: bytes) -> ImportFile | None:
    """The ImportFile of these bytes when its import can be told without reading them."""
    file = ImportFile.objects.filter(kind=kind.name, digest=digest).first()
    return file if file is not None and _holds(kind, actor, file) else None


def recognised_content(kind, actor, content: bytes) -> ImportFile | None:
    """An ImportFile of these rows (in other bytes) whose import can be told without taking them."""
    files = ImportFile.objects.filter(kind=kind.name, content=content).order_by("-imported_at", "-pk")
    return next((file for file in files[:CANDIDATES] if _holds(kind, actor, file)), None)


def file_for(kind, digest: bytes, content: bytes | None = None) -> ImportFile:
    """The ImportFile to mark an import's digests with: the one these bytes had before, else the one of
    these rows in other bytes (which then answers for these bytes too), else a new one."""
    file = ImportFile.objects.filter(kind=kind.name, digest=digest).first()
    if file is None and content is not None:
        file = ImportFile.objects.filter(kind=kind.name, content=content).order_by("-imported_at", "-pk").first()
        if file is not None:
            file.digest = digest
            file.save(update_fields=["digest"])
    if file is None:
        file, _created = ImportFile.objects.get_or_create(kind=kind.name, digest=digest, defaults={"content": content})
    elif content is not None and file.content != content:
        file.content = content
        file.save(update_fields=["content"])
    return file


class RowDigest:
    """digest(cells) -> 16 bytes: a row as read (every cell, in the file's order), with the columns'
    places (which cell is which column) and the kind's `generation` digested before it."""

    def __init__(self, generation: bytes, positions: dict[str, int]):
        self.base = keyed_blake2b(b"import-row")
        self.base.update(generation + b"\x00" + repr(sorted(positions.items())).encode())

    def __call__(self, cells: list[str]) -> bytes:
        text = "\x00".join(cells)
        if text.count("\x00") != len(cells) - 1:  # a cell holding the separator: spelled out unambiguously
            text = repr(cells)
        digest = self.base.copy()
        digest.update(text.encode())
        return digest.digest()


def _lookup(kind, actor, size: int) -> tuple[str, list, list[int]]:
    """The look-up of `size` digests as SQL compiled once: (sql, params, the params' places that take
    the digests; on PostgreSQL one place, for the whole batch as an array). Compiling the query per
    batch cost as much as running it."""
    quote = connection.ops.quote_name
    column = f"{quote(ImportDigest._meta.db_table)}.{quote('digest')}"
    current = kind.records(actor).filter(pk=OuterRef("object_id"), version=OuterRef("version")).values("record_key")
    # Stand-ins, told apart from any other parameter (the actor's grids, the kind) by being unique objects.
    if connection.vendor == "postgresql":
        stand_ins = [object()]
        condition = f"{column} = ANY(%s)"
    else:
        stand_ins = [object() for _n in range(size)]
        condition = f"{column} IN ({', '.join(['%s'] * size)})"
    among = RawSQL(condition, stand_ins, output_field=BooleanField())  # noqa: S611  (placeholders only)
    query = ImportDigest.objects.filter(among, kind=kind.name).annotate(key=Subquery(current[:1])).values_list(
        "digest", "key").query
    sql, params = query.sql_with_params()
    place_of = {id(param): index for index, param in enumerate(params)}
    return sql, list(params), [place_of[id(stand_in)] for stand_in in stand_ins]


def known(kind, actor, digests: list[bytes]) -> dict[bytes, str]:
    """Of `digests`, those stored for a record the actor sees that is still at the version stored with
    the digest: {digest: the record's key}. One query per batch of digests (the record's visibility and
    version checked in it, by primary key), no model instances."""
    found: dict[bytes, str | None] = {}
    distinct = list(set(digests))
    as_array = connection.vendor == "postgresql"
    batch_size = ARRAY_BATCH if as_array else BATCH
    compiled = {}
    with connection.cursor() as cursor:
        for start in range(0, len(distinct), batch_size):
            batch = distinct[start:start + batch_size]
            if len(batch) not in compiled:
                compiled[len(batch)] = _lookup(kind, actor, len(batch))
            sql, params, places = compiled[len(batch)]
            if as_array:
                params[places[0]] = batch
            else:
                for place, digest in zip(places, batch, strict=True):
                    params[place] = digest
            cursor.execute(sql, params)
            for digest, key in cursor.fetchall():
                digest = bytes(digest)
                # Two records holding one digest (a record edited, another created from the same row): neither.
                found[digest] = None if digest in found else key
    return {digest: key for digest, key in found.items() if key is not None}


def remember(kind, rows: list[tuple[int, bytes, int]], file_id: int | None = None) -> None:
    """Store (record id, digest, version) of rows just imported, replacing each record's earlier digest,
    marked with the file they came from (ImportFile).
    Many rows per statement: one upsert per row (executemany) was a round trip each on PostgreSQL, where
    the rows go as three array parameters (8,000 parameters a statement cost psycopg as much to bind as
    the server to write: 100,000 digests 2.6 s, as arrays 1.2 s)."""
    quote = connection.ops.quote_name
    table = quote(ImportDigest._meta.db_table)
    columns = (f"{table} ({quote('kind')}, {quote('file')}, {quote('object_id')}, {quote('digest')}, "
               f"{quote('version')})")
    tail = (f" ON CONFLICT ({quote('kind')}, {quote('object_id')}) DO UPDATE SET "
            f"{quote('digest')} = excluded.{quote('digest')}, {quote('version')} = excluded.{quote('version')}, "
            f"{quote('file')} = excluded.{quote('file')}")
    # One row per record (the last one, as one upsert after another would leave it): a statement may not
    # update the same row twice.
    latest = list({object_id: (object_id, digest, version) for object_id, digest, version in rows}.values())
    as_arrays = connection.vendor == "postgresql"
    batch = ARRAY_BATCH if as_arrays else REMEMBER_BATCH
    with connection.cursor() as cursor:
        for start in range(0, len(latest), batch):
            part = latest[start:start + batch]
            if as_arrays:
                ids, row_digests, versions = zip(*part, strict=True)
                cursor.execute(f"INSERT INTO {columns} SELECT %s, %s::bigint, * FROM unnest(%s::bigint[], "  # noqa: S608
                               f"%s::bytea[], %s::integer[]){tail}",
                               [kind.name, file_id, list(ids), list(row_digests), list(versions)])
            else:
                cursor.execute(f"INSERT INTO {columns} VALUES " + ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))  # noqa: S608
                               + tail, [value for row in part for value in (kind.name, file_id, *row)])


def mark(kind, found: list[bytes], file_id: int) -> int:
    """Rows found unchanged by their digests (`known`: each held by one record) take the mark of the file
    being imported, where they carry another: without it a file whose import found rows unchanged (a
    week's ledger with a few rows edited) would never be recognised, its rows keeping older files' marks."""
    size = ARRAY_BATCH if connection.vendor == "postgresql" else BATCH
    marked = 0
    for start in range(0, len(found), size):
        marked += (ImportDigest.objects.filter(kind=kind.name, digest__any=found[start:start + size])
                   .exclude(file=file_id).update(file=file_id))
    return marked


def analyse(written: int) -> None:
    """After an import that stored many digests, PostgreSQL's statistics of the table are refreshed at
    once: planned on the old ones (a nearly empty table), the next import's look-ups read every digest
    of the kind instead of the index. Autovacuum would do it a minute later at the soonest."""
    if written >= ANALYSE_AFTER and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ImportDigest._meta.db_table)}")


def forget_on_delete(model, kind_name: str) -> None:
    """A deleted record's digest goes with it: nothing is kept of its row (the digest is a keyed
    pseudonym of its cells, the phone among them), and no stale digest can answer for a later record
    given the same id (on SQLite an import reserves MAX(id) + 1: bulk.py)."""

    def forget(sender, instance, **kwargs):
        ImportDigest.objects.filter(kind=kind_name, object_id=instance.pk).delete()

    signals.post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"import-digest-{kind_name}")
