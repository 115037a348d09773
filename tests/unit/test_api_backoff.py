"""The retry delays of events and notifications (charge_capture_api/backoff.py)."""

import datetime

from backoff import MAX_DELAY_SECONDS, next_attempt, retry_delay


def test_delays_double_from_the_base_and_stop_at_six_hours():
    assert [retry_delay(60, attempt) for attempt in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(60, 30) == MAX_DELAY_SECONDS == 6 * 3600


def test_next_attempt_is_now_plus_the_delay():
    now = datetime.datetime(2025, 1, 1, 12, 0)
    assert next_attempt(now, 60, 2) == datetime.datetime(2025, 1, 1, 12, 2)
