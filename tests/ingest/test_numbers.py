"""Numbers as printed: amounts, rates, targets. Expected values are worked out by hand."""

from decimal import Decimal

import pytest

from ingest.numbers import amount_to_yuan, parse_measure, parse_number, parse_rate


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("8,278,261.03", "8278261.03", 2),
        ("275, 112, 698. 88", "275112698.88", 2),  # spaces PDF extraction puts after separators
        ("99. 60", "99.60", 2),
        ("0.00", "0.00", 2),
        ("100", "100", 0),
        ("３,３１５.９０", "3315.90", 2),  # full-width digits
        ("-12.5", "-12.5", 1),
    ],
)
def test_parse_number_reads_printed_forms(text, value, decimals):
    number = parse_number(text)
    assert number.value == Decimal(value)
    assert number.decimals == decimals


@pytest.mark.parametrize(
    "text",
    [
        "12 34",  # two numbers, or one? not guessed
        "27,51,12",  # not a thousands grouping
        "1.2.3",
        "abc",
        "",
        "-",
        "12,3456",
    ],
)
def test_parse_number_refuses_what_it_cannot_read(text):
    assert parse_number(text) is None


def test_parse_rate_accepts_percent_sign_and_counts_decimals():
    assert parse_rate("98.88%").value == Decimal("98.88")
    assert parse_rate("99%").decimals == 0
    assert parse_rate("100.00").decimals == 2


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("=100.00(%)", "=", "100.00", "%"),
        ("≥90.00(%)", ">=", "90.00", "%"),
        ("≤0.00(%)", "<=", "0.00", "%"),
        ("=100. 00 (%)", "=", "100.00", "%"),
        ("≥40000.00 (张)", ">=", "40000.00", "张"),
        ("=100(百分比)", "=", "100", "%"),
        ("=7500.00(平方)", "=", "7500.00", "平方"),
        ("＞5（个）", ">", "5", "个"),
        ("<0.10(%)", "<", "0.10", "%"),
        ("100.00(百分比)", None, "100.00", "%"),  # an actual value carries no comparator
        ("98%", None, "98", "%"),
    ],
)
def test_parse_measure_reads_comparator_value_and_unit(text, op, value, unit):
    measure = parse_measure(text)
    assert (measure.op, measure.value, measure.unit) == (op, Decimal(value), unit)
    assert measure.is_quantitative


@pytest.mark.parametrize("text", ["健全", "达成指标", "提升", "0发生", "低于市、区两级平均水平", "三方比价", None, ""])
def test_words_are_qualitative(text):
    measure = parse_measure(text)
    assert measure is not None and not measure.is_quantitative


@pytest.mark.parametrize("text", ["=1OO(%)", "≥9 0(%)", "=100.00(%"])
def test_unreadable_numbers_are_not_taken_for_words(text):
    assert parse_measure(text) is None


def test_amount_to_yuan_converts_units_exactly():
    assert amount_to_yuan(Decimal("6.00"), "万元") == Decimal("60000.00")
    assert amount_to_yuan(Decimal("3,315.90".replace(",", "")), "万元") == Decimal("33159000.00")
    assert amount_to_yuan(Decimal("17916.15"), "万元") == Decimal("179161500.00")
    assert amount_to_yuan(Decimal("1.5"), "亿元") == Decimal("150000000.00")
    assert amount_to_yuan(Decimal("0.123456"), "元") is None  # fractions of a cent are not rounded away
