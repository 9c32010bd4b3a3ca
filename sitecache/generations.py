"""The one way the site caches shared data: generational caches in the site's Redis.

A named cache ("quiz-content", "explanations", ...) holds values built from the database,
and one *generation*: a random token in the shared `default` Redis, under
`sitecache:generation:<name>`.

- Writers (receivers of the save and delete signals of every model a value is built from)
  call `bump()`: at once, a *writing* token ("w" + random, expiring after WRITING_SECONDS)
  under which nothing is ever stored; then, in `transaction.on_commit`, a fresh token.
- Readers call `get_or_build(build, part)`. One round trip (a Lua script) returns the
  generation, the Redis server's run id and the value stored under

      (name, release, generation, run id, part)

  and only on a miss is `build()` called (it reads the database); its result, plain data
  (dicts, tuples, frozen dataclasses of primitives, never model instances), is stored under
  the generation read *before* build() began. Readers never write the generation but for
  one case, through the writer's own code: a missing generation is initialised with a fresh
  token, SET NX, and the reader stores nothing that time.

Why a value read before a write commits and stored after it is never served once the write
has committed, whatever the interleaving:
1. A value is stored only under a generation that was current before its build() read the
   database. A write that commits after that read began bumps the generation on commit, so
   the value is never looked up again. (If the build read the new rows, it is harmless.)
2. Nothing is stored while a write is in flight (the writing token). If the bump on commit
   is lost (Redis unreachable just then), the writing token stays until it expires: the
   cache is bypassed, never stale; the failure is logged as an error and this process bumps
   again before its next read.
3. A generation is a token that never repeats. A missing one (Redis restarted empty, the key
   evicted) is replaced by a fresh token, under which nothing was ever stored, so nothing can
   come back. (A counter restarted by INCR after an eviction would find the values stored
   under its earlier 1, 2, 3.) Putting back a generation read earlier is what made the old
   quiz cache undo edits; no code here ever writes a generation it read.
4. A Redis restarted from an old snapshot (or a replica promoted after a failover) brings
   back an old generation together with the values stored under it. Every value key names
   the server's run id, which is new at every start, so none of them is ever found.
5. Two releases sharing Redis during a rolling deploy share the generation (a writer on
   either invalidates both) but never a value: the release is in the value key
   (cachelab.release).
6. Redis failing: reads build from the database; the failure is logged at most once a minute
   and Redis is skipped for a second (sitecache.guard), so a hung Redis costs one timeout,
   not one per read.
"""

import dataclasses
import datetime
import logging
import pickle
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from redis.commands.core import Script

from sitecache import counters, guard
from sitecache.registry import SiteCache, describe

logger = logging.getLogger(__name__)

T = TypeVar("T")

ALIAS = "default"
WRITING = "w"  # first character of a writing token
WRITING_SECONDS = 600  # longer than any write transaction of the site (loaddata included)
TOKEN_BYTES = 8
PICKLE_PROTOCOL = 5

# KEYS[1]: the generation's key. ARGV[1]: the value key up to the generation; ARGV[2]: the
# part. Returns {run id, generation or false, value or false}.
READ_SCRIPT = Script(
    None,
    b"""
local server = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
local generation = redis.call('GET', KEYS[1])
if not generation or string.sub(generation, 1, 1) == 'w' then
  return {server, generation, false}
end
local key = ARGV[1] .. generation .. ':' .. server .. ':' .. ARGV[2]
return {server, generation, redis.call('GET', key)}
""",
)

WHY_SAFE = (
    "The generation rule: a value is stored only under the generation read before the "
    "database was, and every write bumps it when it commits (nothing is stored while a write "
    "is in flight). Generations are random tokens that never repeat; the Redis server's run "
    "id and the code's release are in every key."
)

PLAIN_TYPES = (str, int, float, bool, bytes, type(None), datetime.date, datetime.timedelta)

_pending: set[str] = set()  # generations this process failed to bump: bumped again first
_instances: dict[str, "Generational"] = {}


def plain(value: Any) -> bool:
    """Plain data: primitives, and tuples, lists, sets, dicts and frozen dataclasses of it."""
    if isinstance(value, PLAIN_TYPES):
        return True
    if isinstance(value, tuple | list | frozenset | set):
        return all(plain(item) for item in value)
    if isinstance(value, dict):
        return all(plain(key) and plain(item) for key, item in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        frozen = type(value).__dataclass_params__.frozen
        return frozen and all(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def new_token() -> str:
    return secrets.token_hex(TOKEN_BYTES)


def generational_caches() -> dict[str, "Generational"]:
    return dict(_instances)


class Generational:
    """One named cache of values built from the database (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        *,
        timeout: int,
        stores: str,
        part: str,
        invalidation: str,
        why_safe: str = "",
    ) -> None:
        self.name = name
        self.timeout = timeout
        self.entry = describe(
            SiteCache(
                name=name,
                where=f"{ALIAS} (Redis)",
                stores=stores,
                key_shape=f"sitecache:{name}:<release>:<generation>:<Redis run id>:{part}",
                timeout=timeout,
                invalidation=invalidation,
                why_safe=" ".join(filter(None, [why_safe, WHY_SAFE])),
                generational=True,
            )
        )
        _instances[name] = self

    # Reading

    def get_or_build(self, build: Callable[[], T], part: str = "") -> T:
        """The value stored for `part` under the current generation, else build()'s."""
        if not guard.available(ALIAS):
            counters.count(ALIAS, self.name, counters.SKIPPED)
            return build()
        try:
            client = self._client()
            self._bump_pending(client)
            server, generation, stored = READ_SCRIPT(
                keys=[self._generation_key()], args=[self._value_prefix(), part], client=client
            )
        except guard.FAILURES as error:
            return self._failed(error, "reading", build)
        if stored is not None:
            counters.count(ALIAS, self.name, counters.HIT)
            return pickle.loads(stored)
        if generation is None:
            self._initialise(client)
        if generation is None or generation.startswith(WRITING.encode()):
            counters.count(ALIAS, self.name, counters.UNCACHED)
            return build()
        value = build()
        self._store(client, self._value_key(generation, server, part), value)
        return value

    def _store(self, client: Any, key: str, value: Any) -> None:
        if not plain(value):
            raise TypeError(
                f"The {self.name!r} cache stores plain data only (dicts, tuples, frozen "
                f"dataclasses of primitives), never model instances: got {value!r:.200}."
            )
        try:
            client.set(key, pickle.dumps(value, PICKLE_PROTOCOL), ex=self.timeout)
        except guard.FAILURES as error:
            self._failed(error, "storing", lambda: None)
            return
        counters.count(ALIAS, self.name, counters.MISS)

    def _failed(self, error: BaseException, doing: str, build: Callable[[], T]) -> T:
        counters.count(ALIAS, self.name, counters.ERROR)
        guard.failed(ALIAS, error, f"{doing} the {self.name!r} cache")
        return build()

    def current(self) -> str:
        """The generation as readers see it now, in words (for /lab/this-site/)."""
        try:
            token = self._client().get(self._generation_key())
        except guard.FAILURES as error:
            return f"unknown: Redis failed ({type(error).__name__})"
        if token is None:
            return "none yet (the next read makes one)"
        if token.startswith(WRITING.encode()):
            return "being written (nothing is stored until the write commits)"
        return token.decode()

    # Writing

    def bump(self) -> None:
        """A value of this cache is being written: mark the generation as being written now,
        and give it a fresh token once the transaction commits (at once outside one)."""
        self._set_generation(WRITING + new_token(), WRITING_SECONDS)
        transaction.on_commit(self._bump_now)

    def _bump_now(self) -> None:
        self._set_generation(new_token(), None)

    def _set_generation(self, token: str, seconds: int | None) -> None:
        """Writers are never skipped: a lost bump is logged as an error and retried."""
        try:
            self._client().set(self._generation_key(), token, ex=seconds)
        except guard.FAILURES as error:
            _pending.add(self.name)
            if guard.first_this_minute(f"bump:{self.name}"):  # a bulk load must not flood the log
                logger.error(
                    "Could not move the generation of the %r cache (%s: %s): this process "
                    "moves it again before its next read; until then other app servers may "
                    "bypass the cache, or serve values for up to %s s if Redis lost the "
                    "writing mark. (Said once a minute while it lasts.)",
                    self.name,
                    type(error).__name__,
                    error,
                    self.timeout,
                )
            return
        counters.count(ALIAS, self.name, counters.BUMP)

    def _bump_pending(self, client: Any) -> None:
        if self.name in _pending:
            client.set(self._generation_key(), new_token())
            _pending.discard(self.name)
            counters.count(ALIAS, self.name, counters.BUMP)

    def _initialise(self, client: Any) -> None:
        """The writer's path for a missing generation: a fresh token, only if still missing."""
        try:
            client.set(self._generation_key(), new_token(), nx=True)
        except guard.FAILURES as error:
            guard.failed(ALIAS, error, f"initialising the {self.name!r} cache")

    # Keys

    def _client(self) -> Any:
        return caches[ALIAS].client.get_client(write=True)

    def _generation_key(self) -> str:
        return caches[ALIAS].make_key(f"sitecache:generation:{self.name}")

    def _value_prefix(self) -> str:
        return caches[ALIAS].make_key(f"sitecache:{self.name}:{settings.CACHELAB_RELEASE}:")

    def _value_key(self, generation: bytes, server: bytes, part: str) -> str:
        return f"{self._value_prefix()}{generation.decode()}:{server.decode()}:{part}"
