"""The check tables reach pandas through Arrow (quality.runner.projection and to_frame) with the
values and dtypes DuckDB's own ``.df()`` gives them, so the checks see what they saw before."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from quality.runner import projection, to_frame


@pytest.fixture
def table():
    con = duckdb.connect()
    con.execute(
        """
        create table checks as select * from (values
            ('r1|1', 'r1', 1, 2::integer, 12.5::decimal(18, 2), 0.1234::decimal(9, 4), 2.5::double, true, '优'),
            ('r1|2', 'r1', 2, null, null, 95.0::decimal(9, 4), null, false, null),
            ('r2|1', 'r2', 3, 7, 1234567890123.45::decimal(18, 2), null, 'nan'::double, true, '差')
        ) as t(check_key, report_id, seq, weight_expected, amount, score, ratio, flag, grade)
        """
    )
    yield con.table("checks")
    con.close()


def test_to_frame_gives_what_df_gives(table):
    wanted = list(table.columns)
    frame = to_frame(table.project(projection(table, wanted)).order('"check_key"'))
    expected = table.project(", ".join(f'"{c}"' for c in wanted)).order('"check_key"').df()
    pd.testing.assert_frame_equal(frame, expected)


def test_decimals_become_floats_and_integers_with_nulls_stay_integers(table):
    frame = to_frame(table.project(projection(table, list(table.columns))).order('"check_key"'))
    assert frame["amount"].dtype == "float64" and frame["amount"].tolist()[2] == 1234567890123.45
    assert frame["score"].tolist()[0] == 0.1234
    assert str(frame["weight_expected"].dtype) == "Int32"
    assert frame["weight_expected"].isna().tolist() == [False, True, False]
    assert frame["seq"].dtype == "int32"  # no NULL: a plain integer, as .df() makes it


def test_projection_reads_only_the_wanted_columns(table):
    assert projection(table, ["amount", "check_key"]) == '"check_key", "amount"::double as "amount"'


def test_a_table_of_many_row_groups_becomes_one_chunk_per_column():
    # DuckDB hands a large result over in chunks of a row group each; pandas would concatenate
    # them again each time rows are taken from a column (the checks take rows many times)
    con = duckdb.connect()
    rows = con.sql("select 'k' || i::varchar as check_key, i % 7 = 0 as flag from range(300000) t(i)")
    assert rows.to_arrow_table().column("check_key").num_chunks > 1  # what the test is about
    frame = to_frame(rows.order('"check_key"'))
    for name in frame.columns:
        chunks = getattr(frame[name].array, "_pa_array", None)
        assert chunks is None or chunks.num_chunks == 1, name
    assert len(frame) == 300000 and frame["flag"].sum() == 42858
    con.close()
