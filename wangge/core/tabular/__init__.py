"""One machinery for every ledger (台账): read, match headers, validate, import all-or-nothing,
report errors by row and column, write templates and exports. Each registry adds a kind in its
app's `ledgers.py`; see docs/LEDGERS.md."""
