"""The keys each learner stored on each sandbox store, kept in the site's Redis.

One Redis hash per learner and store (`locmem`, `locmem-B`, `redis`, ...): a field per key
(JSON `[key, version]`), its value the processes that wrote it, for stores that live inside
a process (LocMem), so a miss on another worker can be told truthfully. Writes are single
atomic commands (a Lua script holds the per-store cap), so two runs at once never lose an
entry, and nothing is written to the session. The hash expires an hour after its last write,
when every key it names has expired too (timeouts are capped at an hour).
"""

import json
from collections import defaultdict
from collections.abc import Iterable

import redis
from django.core.cache import caches

from sandbox.calls import MAX_TIMEOUT
from sitecache.registry import SiteCache, describe

MAX_KEYS_PER_BACKEND = 50
TTL_SECONDS = MAX_TIMEOUT + 60
KEY = "sandbox:keys:{namespace}:{store}"

describe(
    SiteCache(
        name="sandbox key registries",
        where="default (Redis)",
        stores=(
            "Which keys a learner stored on each sandbox store (a hash: key and version -> "
            "the processes that wrote it), so clear() deletes only theirs and the cap of "
            f"{MAX_KEYS_PER_BACKEND} keys holds."
        ),
        key_shape=KEY.format(namespace="<learner namespace>", store="<store>"),
        timeout=TTL_SECONDS,
        invalidation="Every write goes through it (one atomic Lua script); it expires an "
        "hour after its last write, when every key it names has expired too.",
        why_safe=(
            "Not a copy of data kept elsewhere: it is the record of the learner's sandbox "
            "keys, written atomically with the cap check. With Redis failing, runs that store "
            "are refused with a message rather than run unrecorded."
        ),
    )
)

Entry = tuple[str, int | None]  # (learner key, version)

# Adds the fields (keys) unless that would take the hash over the cap, and adds ARGV[3]
# (a process, or "") to each field's processes. Returns {1 if added else 0, size}.
RESERVE_SCRIPT = """
local new = 0
for i = 4, #ARGV do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then new = new + 1 end
end
local size = redis.call('HLEN', KEYS[1])
if size + new > tonumber(ARGV[1]) then return {0, size} end
for i = 4, #ARGV do
  local held = redis.call('HGET', KEYS[1], ARGV[i])
  if not held then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[3])
  elseif ARGV[3] ~= '' and not string.find(' ' .. held .. ' ', ' ' .. ARGV[3] .. ' ', 1, true) then
    redis.call('HSET', KEYS[1], ARGV[i], held == '' and ARGV[3] or held .. ' ' .. ARGV[3])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {1, size + new}
"""


class RegistryUnavailable(Exception):
    """The site's Redis, which keeps the learner's key list, cannot be reached."""


def redis_client() -> redis.Redis:
    return caches["default"].client.get_client(write=True)


def field_of(entry: Entry) -> str:
    return json.dumps(list(entry))


def entry_of(field: bytes) -> Entry:
    key, version = json.loads(field)
    return key, version


class Registry:
    """One learner's keys on one store, as loaded at the start of the request and kept in
    step with every write made through it."""

    def __init__(self, redis_key: str, loaded: dict[bytes, bytes] | None) -> None:
        self.redis_key = redis_key
        self.available = loaded is not None
        self.entries: dict[Entry, set[str]] = {
            entry_of(field): set(processes.decode().split())
            for field, processes in (loaded or {}).items()
        }

    def __len__(self) -> int:
        return len(self.entries)

    def holds(self, entries: Iterable[Entry], process: str) -> bool:
        """Every entry is registered (and, for a per-process store, written by `process`)."""
        return all(
            entry in self.entries and (not process or process in self.entries[entry])
            for entry in entries
        )

    def processes(self, entry: Entry) -> set[str]:
        return self.entries.get(entry, set())

    def by_version(self) -> dict[int | None, list[str]]:
        groups: dict[int | None, list[str]] = defaultdict(list)
        for key, version in sorted(self.entries, key=str):
            groups[version].append(key)
        return groups

    def require(self) -> None:
        if not self.available:
            raise RegistryUnavailable(
                "The sandbox keeps the list of your keys in the site's Redis, which cannot be "
                "reached: calls that store keys are refused until it answers again."
            )

    def reserve(self, entries: set[Entry], process: str) -> bool:
        """Register `entries` atomically unless the store's cap would be passed."""
        self.require()
        fields = [field_of(entry) for entry in sorted(entries, key=str)]
        added, _size = redis_client().eval(
            RESERVE_SCRIPT, 1, self.redis_key, MAX_KEYS_PER_BACKEND, TTL_SECONDS, process, *fields
        )
        if added:
            for entry in entries:
                self.entries.setdefault(entry, set()).update({process} - {""})
        return bool(added)

    def release(self, entries: Iterable[Entry], process: str) -> None:
        """Forget entries gone from `process`'s store (or from a shared store: process "")."""
        remove, keep = [], {}
        for entry in entries:
            left = self.entries.get(entry, set()) - {process}
            if process and left:
                keep[field_of(entry)] = " ".join(sorted(left))
                self.entries[entry] = left
            else:
                remove.append(field_of(entry))
                self.entries.pop(entry, None)
        pipe = redis_client().pipeline(transaction=True)
        if remove:
            pipe.hdel(self.redis_key, *remove)
        if keep:
            pipe.hset(self.redis_key, mapping=keep)
        if remove or keep:
            pipe.execute()


def registry_key(namespace: str, store: str) -> str:
    return caches["default"].make_key(KEY.format(namespace=namespace, store=store))


def queue_load(pipe: redis.client.Pipeline, namespace: str, store: str) -> None:
    pipe.hgetall(registry_key(namespace, store))


def loaded(namespace: str, store: str, answer: dict | Exception | None) -> Registry:
    """The Registry from a pipeline's answer to `queue_load` (None or an error: unavailable)."""
    usable = answer if isinstance(answer, dict) else None
    return Registry(registry_key(namespace, store), usable)


def load(namespace: str, stores: Iterable[str]) -> dict[str, Registry]:
    """Each store's registry, in one round trip."""
    stores = list(stores)
    try:
        pipe = redis_client().pipeline(transaction=False)
        for store in stores:
            queue_load(pipe, namespace, store)
        answers = pipe.execute()
    except (redis.RedisError, OSError):
        answers = [None] * len(stores)
    pairs = zip(stores, answers, strict=True)
    return {store: loaded(namespace, store, answer) for store, answer in pairs}
