from datetime import date

import pytest

from twomountains.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize("text, expected", [
    ("2023", Period(2023)), ("２０２３", Period(2023)), ("2023年", Period(2023)), ("2023.0", Period(2023)),
    ("2023Q3", Period(2023, quarter=3)), ("2023-Q3", Period(2023, quarter=3)), ("2023q1", Period(2023, quarter=1)),
    ("2023年第3季度", Period(2023, quarter=3)), ("2023年三季度", Period(2023, quarter=3)),
    ("2023年第四季度", Period(2023, quarter=4)), ("２０２３年第２季度", Period(2023, quarter=2)),
    ("2023-09", Period(2023, month=9)), ("2023/9", Period(2023, month=9)), ("2023年9月", Period(2023, month=9)),
    ("2023年十二月", Period(2023, month=12)), (" 2023-Q4 ", Period(2023, quarter=4)),
])
def test_parse_period_reads_the_ways_people_write_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "23", "2023Q5", "2023-13", "2023年第5季度", "Q3 2023", "abc"])
def test_parse_period_rejects_what_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_canonical_text_round_trips():
    for period in (Period(2025), Period(2025, quarter=3), Period(2025, month=9)):
        assert parse_period(str(period)) == period
    assert str(Period(2025, month=9)) == "2025-09"


def test_period_dates_and_previous_period_in_the_year():
    assert Period(2024, quarter=1).end_date == date(2024, 3, 31)
    assert Period(2024, month=2).end_date == date(2024, 2, 29)
    assert Period(2023).end_date == date(2023, 12, 31)
    assert Period(2023, quarter=3).start_date == date(2023, 7, 1)
    assert Period(2023, quarter=3).previous_in_year() == Period(2023, quarter=2)
    assert Period(2023, quarter=1).previous_in_year() is None
    assert Period(2023, month=1).previous_in_year() is None
