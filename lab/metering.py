"""Count database queries and time the database, the cache and the whole view.

Counting goes through `connection.execute_wrapper`, so it works with DEBUG off (unlike
`connection.queries`), and the figures become a `Server-Timing` header that DevTools shows
under Network > (request) > Timing.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


def elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


@dataclass
class Meter:
    do_not_call_in_templates = True  # it is callable (an execute wrapper), templates read it

    queries: int = 0
    db_ms: float = 0.0
    cache_ms: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.db_ms += elapsed_ms(started)

    @contextmanager
    def counting_queries(self) -> Iterator["Meter"]:
        with connection.execute_wrapper(self):
            yield self

    @contextmanager
    def timing_cache(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.cache_ms += elapsed_ms(started)

    @property
    def total_ms(self) -> float:
        return elapsed_ms(self.started)

    def server_timing(self) -> str:
        return (
            f'db;dur={self.db_ms:.2f};desc="Database ({self.queries} queries)", '
            f'cache;dur={self.cache_ms:.2f};desc="Cache", '
            f'total;dur={self.total_ms:.2f};desc="Whole view"'
        )


MeteredView = Callable[..., HttpResponse]


def server_timed(view: MeteredView) -> Callable[..., HttpResponse]:
    """Give the view a Meter as its second argument; add Server-Timing to its response."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meter = Meter()
        with meter.counting_queries():
            response = view(request, meter, *args, **kwargs)
        response["Server-Timing"] = meter.server_timing()
        return response

    return wrapper
