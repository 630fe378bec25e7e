"""A CSV reads back the cells that were written into it (reading.py), whatever the line endings, the
quoting and the delimiter Excel or WPS chose. The oracle is the table given to the csv module's writer:
the reader yields its rows with their numbers, cells trimmed, blank rows left out."""

import csv
import io

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wangge.core.tabular.reading import open_sheet

HEADER = ["名称", "地址", "备注"]  # every ledger opens with its headers (the importer looks for them)
cells = st.text(alphabet="林泉路号店1 ,\"'ab", max_size=6)
tables = st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6).map(lambda rows: [HEADER, *rows])


def _written(rows, *, delimiter: str, line_end: str, quoting: int) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting).writerows(rows)
    return out.getvalue().encode()


def _expected(rows) -> list:
    trimmed = [(n, [c.strip() for c in row]) for n, row in enumerate(rows, start=1)]
    return [(n, row) for n, row in trimmed if any(row)]


@settings(deadline=None, max_examples=200)
@given(tables, st.sampled_from([",", "\t", ";"]), st.sampled_from(["\n", "\r\n"]),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
@example([HEADER, ["", '"', ""]], ",", "\r\n", csv.QUOTE_MINIMAL)  # csv.Sniffer took doubled quotes for two
@example([HEADER, ["'", "", "',"]], "\t", "\n", csv.QUOTE_MINIMAL)  # ... and this tab-separated file for commas
def test_a_csv_reads_back_the_cells_written_into_it(rows, delimiter, line_end, quoting):
    data = _written(rows, delimiter=delimiter, line_end=line_end, quoting=quoting)
    assert list(open_sheet(data, "台账.csv").rows) == _expected(rows)


def test_a_quote_in_a_cell_reads_the_same_with_either_line_ending():
    rows = [["名称", "备注"], ["林泉烧烤", '门头写"老林"']]
    for line_end in ("\n", "\r\n"):
        assert list(open_sheet(_written(rows, delimiter=",", line_end=line_end, quoting=csv.QUOTE_MINIMAL),
                               "a.csv").rows) == [(1, rows[0]), (2, rows[1])]
