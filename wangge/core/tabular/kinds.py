"""A ledger kind: its columns, how a row is cleaned and applied, and how rows are exported.

A registry adds a kind in its app's `ledgers.py` with `@register`; the import, export and template
commands and pages find it by name.
"""

from django.core.exceptions import ValidationError
from django.utils import translation

from .columns import Column

REGISTRY: dict[str, "LedgerKind"] = {}


class RowError(Exception):
    """Errors of one row: {column key: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def row_errors_from(exc: ValidationError, default_column: str) -> RowError:
    if hasattr(exc, "error_dict"):
        return RowError({k if k != "__all__" else default_column: " ".join(v) for k, v in exc.message_dict.items()})
    return RowError({default_column: " ".join(exc.messages)})


class LedgerKind:
    name: str = ""
    label: str = ""
    columns: list[Column] = []
    export_only: list[Column] = []  # derived facts shown in exports after the columns (ignored on import)
    import_permission: str | None = None  # None: this kind cannot be imported
    export_permission: str | None = None
    view_permission: str | None = None  # needed besides import/export permission (e.g. to see residents)
    model = None
    masked: set[str] = set()  # column keys holding personal data: masked in reports and error values

    def allows(self, user, permission: str | None) -> bool:
        """May the user import or export this kind (the permission, and seeing its rows at all)?"""
        return bool(permission and user.can(permission)
                    and (not self.view_permission or user.can(self.view_permission)))

    def key(self, cleaned: dict) -> str:
        """The natural key: rows with the same key are the same record."""
        raise NotImplementedError

    def prepare(self, actor, raw_rows: list[dict]) -> dict:
        """Batch look-ups before cleaning (e.g. every grid by code): a context passed to each row."""
        return {}

    def clean(self, actor, row: dict, context: dict) -> dict:
        """Validate one row of text; raise RowError. Must use the same validators as the services."""
        raise NotImplementedError

    def existing(self, actor, keys: list[str]) -> dict:
        """Records already in the database, by key."""
        raise NotImplementedError

    def apply(self, actor, cleaned: dict, current) -> str:
        """Create or update through the app's services; return created, updated or unchanged."""
        raise NotImplementedError

    # A kind whose rows stand alone (prepare, order and after_import need no other chunk's rows) sets
    # this: its files are read, checked and written IMPORT_CHUNK_ROWS at a time (importer.py). prepare,
    # existing, create_many and after_import are then called once per chunk, with that chunk's rows.
    streams = False

    # A kind whose new rows can be inserted in bulk sets this and implements create_many.
    bulk_create = False

    def create_many(self, actor, rows: list[dict]) -> dict[int, RowError]:
        """Create every row through the app's bulk service; return the errors by index (nothing is
        written when there are any)."""
        raise NotImplementedError

    # A kind that sets this has rows imported before recognised by a digest of their cells, without
    # cleaning them (digests.py): a second import of an unchanged file costs little more than reading it.
    # It implements generation, records and versions; its records carry a version that every change
    # of an imported field bumps (DomainModel.version, through save_versioned).
    remembers = False

    def generation(self, actor) -> bytes:
        """Everything besides a row's cells that decides what it cleans to (the look-ups `prepare` makes,
        as this actor has them; a version of the cleaning code): digested with each row's cells."""
        raise NotImplementedError

    def records(self, actor):
        """The records the actor sees (visible_to), unordered, annotated with `record_key`: their key as
        `key` gives it for a row that cleans to them."""
        raise NotImplementedError

    def versions(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        """{key: (id, version)} of the records these keys find, as `existing` finds them."""
        raise NotImplementedError

    def order(self, cleaned_rows: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
        return cleaned_rows

    def after_import(self, actor, rows: list[dict]) -> None:
        """Work that follows a whole file (inside its transaction), e.g. reassessing derived facts."""

    # exports
    needs: tuple[str, ...] = ()  # parameters without which the list is not defined (a round's list: "round")
    list_url: str = ""  # URL name of the list page this kind exports and prints (its buttons, the way back)

    def export_queryset(self, actor, unmasked=False):
        return self.model.objects.visible_to(actor)

    def filter(self, queryset, params, user=None):
        """The list page's filters (query string), shared by the page and its export."""
        return queryset

    def rows(self, actor, params, unmasked: bool = False):
        """A kind + filters + user -> the rows of an export (what a background worker runs). Rows come
        only through visible_to; a kind whose list is not a queryset (a worklist, a coverage table)
        overrides this."""
        return self.filter(self.export_queryset(actor, unmasked=unmasked), params, user=actor).iterator(
            chunk_size=2000)

    def export_columns(self) -> list[Column]:
        return [*self.columns, *self.export_only]

    filter_words: list = []  # heading.FilterWord for each filter of the list page

    def describe(self, params, user) -> list[str]:
        """The filters in force, in words (an export's first line, a printed list's header)."""
        from .heading import describe

        with translation.override("zh-hans"):
            return describe(params, self.filter_words, user)

    def export_row(self, obj, unmasked: bool = False) -> list:
        raise NotImplementedError


def field_errors(model, cleaned: dict, keys, errors: dict) -> None:
    """The model fields' own validators (length, range, digits) on one row's cleaned values, column by
    column: what Model.clean_fields would say of them, without building the instance. Empty values
    and columns that already have an error are left alone."""
    for key in keys:
        value = cleaned.get(key)
        if key in errors or value is None or value == "":
            continue
        try:
            model._meta.get_field(key).run_validators(value)
        except ValidationError as exc:
            errors[key] = " ".join(exc.messages)


def create_all(rows: list[dict], build, insert, default_column: str) -> dict[int, RowError]:
    """The usual create_many(): build every row through the service (each may be refused), then
    insert them all through the service's bulk verb only if none was."""
    built, errors = [], {}
    for index, cleaned in enumerate(rows):
        try:
            built.append(build(cleaned))
        except ValidationError as exc:
            errors[index] = row_errors_from(exc, default_column)
    if not errors:
        insert(built)
        for cleaned, record in zip(rows, built, strict=True):  # what was written, for the row's digest
            cleaned["_record"] = (record.pk, getattr(record, "version", None))
    return errors


def sync(current, cleaned: dict, fields, save, create) -> str:
    """The usual apply(): unchanged when every field matches, else update through `save(obj)`;
    `create()` when there is no current record."""
    if current is None:
        create()
        return "created"
    if all(getattr(current, f) == cleaned[f] for f in fields):
        return "unchanged"
    for f in fields:
        setattr(current, f, cleaned[f])
    save(current)
    return "updated"


def register(kind_class):
    REGISTRY[kind_class.name] = kind_class()
    return kind_class


def _discover() -> None:
    """Import every app's ledgers.py once (a kind may already be registered by a direct import)."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ledgers")
        _discovered = True


_discovered = False


def get_kind(name: str) -> LedgerKind:
    _discover()
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(name) from None


def all_kinds() -> list[LedgerKind]:
    _discover()
    return list(REGISTRY.values())
