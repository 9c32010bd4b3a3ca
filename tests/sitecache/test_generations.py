"""The generational cache itself (sitecache.generations), on the suite's Redis."""

from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.db import transaction

from sitecache import counters
from sitecache.generations import Generational, plain
from sitecache.registry import site_caches

# Writers bump on commit: tests that bump commit (autocommit, or their own atomic block).
commits = pytest.mark.django_db(transaction=True)

CACHE = Generational(
    "test-things", timeout=60, stores="things for a test", part="<n>", invalidation="bump()"
)


@dataclass(frozen=True)
class Thing:
    name: str
    sizes: tuple[int, ...]


@dataclass
class Mutable:
    name: str


class Builds:
    """A build function that counts its calls and returns what `value` holds."""

    def __init__(self, value) -> None:
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def generation() -> bytes | None:
    client = caches["default"].client.get_client()
    return client.get(caches["default"].make_key("sitecache:generation:test-things"))


def outcomes() -> dict[str, int]:
    return counters.counts().get(("default", "test-things"), dict.fromkeys(counters.OUTCOMES, 0))


def test_a_value_is_built_until_a_generation_exists_then_stored_then_read() -> None:
    build = Builds(Thing("a", (1, 2)))
    assert generation() is None
    before = outcomes()
    assert CACHE.get_or_build(build) == Thing("a", (1, 2))  # no generation: built, not stored
    assert generation() is not None  # ...and one was made, fresh, through the writer's path
    assert CACHE.get_or_build(build) == Thing("a", (1, 2))  # built and stored
    assert CACHE.get_or_build(build) == Thing("a", (1, 2))  # read
    assert build.calls == 2
    after = outcomes()
    assert [after[name] - before[name] for name in ("uncached", "miss", "hit")] == [1, 1, 1]


@commits
def test_a_bump_makes_every_stored_value_unreachable() -> None:
    CACHE.bump()  # outside a transaction: marked as written, then a fresh token at once
    build = Builds({"n": 1})
    CACHE.get_or_build(build)
    build.value = {"n": 2}
    assert CACHE.get_or_build(build) == {"n": 1}  # stored
    CACHE.bump()
    assert CACHE.get_or_build(build) == {"n": 2}


@commits
def test_parts_are_stored_apart() -> None:
    CACHE.bump()
    assert CACHE.get_or_build(lambda: "one", part="1") == "one"
    assert CACHE.get_or_build(lambda: "two", part="2") == "two"
    assert CACHE.get_or_build(lambda: "other", part="1") == "one"


@commits
def test_nothing_is_stored_while_a_write_is_in_flight() -> None:
    CACHE.bump()
    with transaction.atomic():
        CACHE.bump()  # in a transaction: the writing mark now, the fresh token on commit
        assert generation().startswith(b"w")
        assert CACHE.get_or_build(lambda: "read mid-write") == "read mid-write"
        assert CACHE.get_or_build(lambda: "again") == "again"  # nothing was stored
    assert not generation().startswith(b"w")
    assert CACHE.get_or_build(lambda: "after the commit") == "after the commit"


@commits
def test_only_plain_data_is_stored(django_user_model) -> None:
    CACHE.bump()
    user = django_user_model(username="ada")
    for value in (user, [user], Mutable("x"), {"when": object()}):
        with pytest.raises(TypeError, match="plain data only"):
            CACHE.get_or_build(lambda v=value: v)


def test_plain_data_is_primitives_and_frozen_dataclasses_and_containers_of_them() -> None:
    assert plain({"a": (1, 2.5, None, True, b"x", frozenset({"s"})), 2: [Thing("t", (1,))]})
    assert not plain(Mutable("m"))
    assert not plain({"a": Mutable("m")})


@commits
def test_the_key_names_the_release_the_generation_and_the_redis_server(settings) -> None:
    CACHE.bump()
    CACHE.get_or_build(lambda: "v", part="7")
    keys = caches["default"].client.get_client().keys("site:1:sitecache:test-things:*")
    token = generation().decode()
    assert [key.decode().split(":")[4:] for key in keys] == [
        [settings.CACHELAB_RELEASE, token, keys[0].decode().split(":")[6], "7"]
    ]
    run_id = caches["default"].client.get_client().info("server")["run_id"]
    assert keys[0].decode().split(":")[6] == run_id


@commits
def test_another_release_never_reads_this_ones_values(settings) -> None:
    CACHE.bump()
    CACHE.get_or_build(lambda: "from this release")
    settings.CACHELAB_RELEASE = "another-release"
    assert CACHE.get_or_build(lambda: "from another release") == "from another release"


def test_every_generational_cache_is_in_the_registry() -> None:
    entry = next(entry for entry in site_caches() if entry.name == "test-things")
    assert entry.generational and entry.timeout == 60
    assert entry.key_shape == ("sitecache:test-things:<release>:<generation>:<Redis run id>:<n>")
