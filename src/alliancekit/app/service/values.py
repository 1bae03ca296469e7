"""The values the API answers with: JSON-safe scalars and rows, and the rate limit on
expensive computations."""

from __future__ import annotations

import datetime as dt
import math
import threading
import time

import polars as pl


class TooManyRequests(Exception):
    """An expensive computation was refused by the rate limit."""


def clean(v):
    """JSON-safe scalars: dates as ISO text, NaN and inf as None."""
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    return v


def rows(df: pl.DataFrame) -> list[dict]:
    return [clean(r) for r in df.to_dicts()]


class Bucket:
    """A token bucket: ``rate`` computations a second, bursts of ``burst``."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
