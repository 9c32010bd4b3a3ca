"""The checks behind the explanations: what a row says a backend sends, stores or returns,
run on the live servers through the sandbox's own runner.

An Explanation that states backend behaviour carries `check_code` (sandbox code) and
`check_facts`, one entry per backend it speaks about:

    {"django-redis": {"returns": "9223372036854775808",
                      "wire": ["EVAL *", "EXISTS big", "TTL big", "GET big", "SET big 92233*"],
                      "stored": {"big": "digits"}},
     "redis": {"raises": "ResponseError"}}

`returns` (the repr the sandbox shows), `raises` (the exception's type), `warns` (warning
categories), `wire` (the commands sent, `*` standing for any text) and `round_trips` are
about the last line of the code; `stored` is what the server holds for each key once the code
has run: digits, pickle, text, bytes or absent (on Memcached, read from the client flags
pymemcache stored with the value). Wire commands name keys as the learner typed them: the
`KEY_PREFIX:version:namespace:` part the sandbox adds is taken off.
"""

import re
import secrets
from typing import Any

from django.core.cache.backends.base import BaseCache, memcache_key_warnings

from learners.identity import Learner
from sandbox import registry
from sandbox.calls import parse_calls
from sandbox.catalogue import NAMES
from sandbox.columns.memcached import meta_get
from sandbox.connections import cache_for
from sandbox.differences import Explainer, first_word
from sandbox.results import Outcome
from sandbox.runner import run_calls, stores_for
from sandbox.wire.commands import PICKLE_START

SERVER = "A"
# pymemcache's pickle_serde flags (sandbox.wire.commands.MEMCACHED_FLAGS says them in words)
MEMCACHED_KINDS = {0: "bytes", 1: "pickle", 2: "digits", 16: "text"}
DIGITS = re.compile(rb"-?\d+")


class Unexplained(Explainer):
    """The check reads no explanations: it is about what the backends did."""

    @property
    def rules(self) -> list:
        return []


def observe(code: str, facts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run `code` as a new learner on the backends `facts` names and read back what the
    facts are about, in the same shape."""
    backends = [name for name in NAMES if name in facts]
    namespace = Learner(visitor=f"check-{secrets.token_hex(8)}").namespace
    registries = registry.load(namespace, stores_for(backends, [SERVER]))
    calls = parse_calls(code)
    run = run_calls(calls, backends, SERVER, namespace, registries, Unexplained(), inspect=False)
    observed = {}
    for backend, outcome in run.lines[-1].outcomes.items():
        cache = cache_for(backend, SERVER)
        seen = last_line(outcome, learner_commands(outcome.wire.commands, cache, namespace))
        if "stored" in facts[backend]:
            keys = facts[backend]["stored"]
            seen["stored"] = {
                key: stored_kind(backend, cache, f"{namespace}:{key}") for key in keys
            }
        observed[backend] = seen
    return observed


def last_line(outcome: Outcome, commands: list[str]) -> dict[str, Any]:
    return {
        "returns": None if outcome.error else outcome.value,
        "raises": first_word(outcome.error) or None,
        "warns": sorted({first_word(warning) for warning in outcome.warnings}),
        "wire": commands,
        "round_trips": outcome.wire.round_trips,
    }


def learner_commands(commands: list[str], cache: BaseCache, namespace: str) -> list[str]:
    added = re.compile(re.escape(cache.key_prefix) + r":\d+:" + re.escape(namespace) + ":")
    return [added.sub("", command) for command in commands]


def stored_kind(backend: str, cache: BaseCache, key: str) -> str:
    """What the server (or this process's LocMem store) holds under `key`, version 1."""
    stored_key = cache.make_key(key)
    if backend == "locmem":
        with cache._lock:  # read the store as LocMemCache itself does, without its key check
            held = stored_key in cache._cache and not cache._has_expired(stored_key)
        return "pickle" if held else "absent"  # LocMem pickles every value
    if backend == "memcached":
        if any(memcache_key_warnings(stored_key)) or len(stored_key.encode()) > 250:
            return "absent"  # Memcached refuses such a key, so it holds nothing under it
        client = cache._cache.clients[cache._cache.hasher.get_node(stored_key)]
        held = meta_get(client, [stored_key]).get(stored_key)
        return "absent" if held is None else MEMCACHED_KINDS.get(int(held["f"]), "bytes")
    if backend == "redis":
        raw = cache._cache.get_client(stored_key, write=False).get(stored_key)
    else:
        raw = cache.client.get_client(write=False).get(stored_key)
    return raw_kind(raw)


def raw_kind(raw: bytes | None) -> str:
    if raw is None:
        return "absent"
    if DIGITS.fullmatch(raw):
        return "digits"
    if raw.startswith(PICKLE_START):
        return "pickle"
    try:
        raw.decode()
    except UnicodeDecodeError:
        return "bytes"
    return "text"


def glob_matches(pattern: str, text: str) -> bool:
    """`*` is any text, everything else literal."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, text, re.S) is not None


def fact_holds(name: str, stated: Any, seen: Any) -> bool:
    if name == "wire":
        return len(stated) == len(seen) and all(map(glob_matches, stated, seen))
    if name == "warns":
        return sorted(stated) == seen
    return stated == seen


def mismatches(facts: dict[str, dict[str, Any]], observed: dict[str, dict[str, Any]]) -> list[str]:
    """One sentence per fact the live servers contradict."""
    found = []
    for backend, stated in facts.items():
        for name, value in stated.items():
            seen = observed[backend][name]
            if not fact_holds(name, value, seen):
                found.append(f"{backend} {name}: the explanation says {value!r}, it is {seen!r}")
    return found


def check(code: str, facts: dict[str, dict[str, Any]]) -> list[str]:
    """Run the check on the live servers: the facts that do not hold (none when all do)."""
    return mismatches(facts, observe(code, facts))
