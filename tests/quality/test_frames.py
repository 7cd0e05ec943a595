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
