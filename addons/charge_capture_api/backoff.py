"""When to try again after a failed attempt (pure Python).

Shared by inbound events and outbound notifications: the first retry waits
``base`` seconds, each further one twice as long, never more than six hours.
"""

import datetime

MAX_DELAY_SECONDS = 6 * 3600


def retry_delay(base_seconds, attempts):
    """Seconds to wait after the ``attempts``-th failed attempt (1 for the first)."""
    return min(base_seconds * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)


def next_attempt(now, base_seconds, attempts):
    return now + datetime.timedelta(seconds=retry_delay(base_seconds, attempts))
