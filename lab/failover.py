"""One memcached of two stops: what pymemcache's HashClient, under Django's PyMemcacheCache,
does with the keys that live on it.

The experiment starts two memcached servers of its own on free ports (the site's servers are
never touched), A and B, and a key that hashes to B is cached. Then B is stopped. Each of three
client configurations, each its own PyMemcacheCache in a thread of its own, reads the key
every TICK_SECONDS, cache-aside: on a miss it stores a new value, and the experiment asks both
servers directly where (if anywhere) that value landed. After DOWN_SECONDS, B is started again
on the same port, empty, as a restarted memcached is; the reads go on for UP_SECONDS.

What a read can meet, in pymemcache 4.0's HashClient: an error raised (the first failure, and
each retry), a silent miss (inside `retry_timeout` after a failure the client does not try the
server and returns the default, `ignore_exc` or not), the key answered by A (after
`retry_attempts` failures the server is taken out of the hash ring for `dead_timeout`
seconds and its keys hash to the other server), and the key back on B.
"""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends.memcached import PyMemcacheCache
from pymemcache.client.base import Client
from pymemcache.serde import pickle_serde  # what Django's PyMemcacheCache stores values with

from cachelab.cache_config import SERVER_TIMEOUT, pymemcache_options
from lab.own_servers import own_servers
from ops.services import Service

TICK_SECONDS = 0.2
DOWN_SECONDS = 3.1  # long enough for the defaults to drop B; between two reads
UP_SECONDS = 3.0
TIMEOUTS = {"connect_timeout": SERVER_TIMEOUT, "timeout": SERVER_TIMEOUT}
BEFORE = "written before the stop"


@dataclass(frozen=True)
class Config:
    name: str
    label: str
    options: dict[str, Any]


def site_options() -> dict[str, Any]:
    """This site's own pymemcache options, without the sandbox's wire-capturing sockets."""
    options = pymemcache_options()
    return {name: options[name] for name in options if name != "socket_module"}


CONFIGS = (
    Config(
        "defaults",
        "The defaults of pymemcache (retry_attempts=2, retry_timeout=1, dead_timeout=60)",
        TIMEOUTS,
    ),
    Config("ignore_exc", "The defaults with ignore_exc=True", TIMEOUTS | {"ignore_exc": True}),
    Config(
        "this-site",
        "This site's settings (retry_attempts=1, retry_timeout=1, dead_timeout=1)",
        site_options(),
    ),
)


@dataclass(frozen=True)
class Servers:
    a: Service
    b: Service

    def label(self, address: str | None) -> str:
        return {self.a.address: "A", self.b.address: "B"}.get(address or "", "none")


@contextmanager
def two_memcached() -> Iterator[Servers]:
    with own_servers("memcached", "memcached") as (a, b):
        yield Servers(a, b)


def client_for(servers: Servers, config: Config) -> PyMemcacheCache:
    return PyMemcacheCache(
        [servers.a.address, servers.b.address],
        {"OPTIONS": dict(config.options), "KEY_PREFIX": "lab-failover", "TIMEOUT": 60},
    )


def key_on_b(cache: PyMemcacheCache, servers: Servers, stem: str) -> str:
    """A key name that HashClient's rendezvous hash puts on B."""
    ring = cache._cache.hasher
    for number in range(1000):
        name = f"{stem}:{number}"
        if ring.get_node(cache.make_and_validate_key(name)) == servers.b.address:
            return name
    raise RuntimeError("no key hashed to B in 1000 tries")  # odds about 2**-1000


def holder(servers: Servers, stored_key: str, value: str) -> str:
    """Which server holds `value` under the key, asked directly (a stopped one is skipped)."""
    found = []
    for service in (servers.a, servers.b):
        client = Client(service.address, **TIMEOUTS, serde=pickle_serde)
        try:
            if client.get(stored_key) == value:
                found.append(servers.label(service.address))
        except OSError:
            pass
        finally:
            client.close()
    return " and ".join(found) or "nowhere"


def outcome_of(error: BaseException | None, value: Any) -> str:
    if error is not None:
        return f"raised {type(error).__name__}"
    return "miss" if value is None else "hit"


def one_read(
    cache: PyMemcacheCache, servers: Servers, key: str, started: float, b_back: threading.Event
) -> dict:
    """Read the key; on a miss store a new value and see where it went."""
    at = time.monotonic() - started
    value, error = None, None
    try:
        value = cache.get(key)
    except Exception as raised:  # what the learner's view would see: the lesson
        error = raised
    tick: dict[str, Any] = {
        "at_s": round(at, 2),
        "b_running": b_back.is_set(),  # started again, and answering
        "read": outcome_of(error, value),
        "value": value,
        "ring": servers.label(cache._cache.hasher.get_node(cache.make_and_validate_key(key))),
        "stored": "",
    }
    if error is None and value is None:
        written = f"written at {at:.2f} s"
        try:
            cache.set(key, written)
            tick["stored"] = holder(servers, cache.make_and_validate_key(key), written)
        except Exception as raised:
            tick["stored"] = f"raised {type(raised).__name__}"
    return tick


def watch(
    config: Config, servers: Servers, key: str, started: float, b_back: threading.Event
) -> list[dict]:
    """Read every TICK_SECONDS until the experiment's end, on this thread's own client."""
    cache = client_for(servers, config)
    ticks = []
    try:
        for number in range(int((DOWN_SECONDS + UP_SECONDS) / TICK_SECONDS)):
            time.sleep(max(0.0, started + number * TICK_SECONDS - time.monotonic()))
            ticks.append(one_read(cache, servers, key, started, b_back))
    finally:
        cache.close()
    return ticks


def phases(ticks: list[dict]) -> list[dict]:
    """Consecutive reads that went the same way, merged: what a learner reads as a timeline."""
    merged: list[dict] = []
    for tick in ticks:
        shape = (tick["b_running"], tick["read"], tick["ring"], tick["stored"], tick["value"])
        if merged and merged[-1]["shape"] == shape:
            merged[-1]["until_s"], merged[-1]["reads"] = tick["at_s"], merged[-1]["reads"] + 1
            continue
        merged.append({"shape": shape, "from_s": tick["at_s"], "until_s": tick["at_s"],
                       "reads": 1} | tick)  # fmt: skip
    for phase in merged:
        del phase["shape"]
    return merged


def summary(ticks: list[dict]) -> dict[str, int]:
    down = [tick for tick in ticks if not tick["b_running"]]
    return {
        "raised": sum(tick["read"].startswith("raised") for tick in down),
        "silent_misses": sum(tick["read"] == "miss" and tick["ring"] == "B" for tick in down),
        "answered_by_a": sum(tick["ring"] == "A" for tick in down),
        "lost_writes": sum(tick["stored"] == "nowhere" for tick in down),
    }


def failover() -> dict[str, Any]:
    with two_memcached() as servers:
        stem = f"lab:failover:{uuid.uuid4().hex}"
        keys = {}
        for config in CONFIGS:
            setup = client_for(servers, config)
            keys[config.name] = key_on_b(setup, servers, f"{stem}:{config.name}")
            setup.set(keys[config.name], BEFORE)
            setup.close()
        results: dict[str, list[dict]] = {}
        b_back = threading.Event()
        servers.b.stop()
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=lambda config=config: results.__setitem__(
                    config.name, watch(config, servers, keys[config.name], started, b_back)
                )
            )
            for config in CONFIGS
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, started + DOWN_SECONDS - time.monotonic()))
        servers.b.start()  # from this thread, which outlives it (ops.services.Service.start)
        b_back.set()
        for thread in threads:
            thread.join()
    return {
        "tick_s": TICK_SECONDS,
        "down_s": DOWN_SECONDS,
        "up_s": UP_SECONDS,
        "timeout_s": SERVER_TIMEOUT,
        "configs": [
            {
                "name": config.name,
                "label": config.label,
                "options": {k: v for k, v in config.options.items() if k not in TIMEOUTS},
                "phases": phases(results[config.name]),
                "summary": summary(results[config.name]),
            }
            for config in CONFIGS
        ],
    }
