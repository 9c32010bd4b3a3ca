"""Every cache the site keeps of its own, described where it is defined, listed at
/lab/this-site/ ("How this site caches").

A generational cache (sitecache.generations) registers itself when it is created; anything
else the site keeps in a shared store (the sandbox's rate limits and key registries, the
lab's locks) or deliberately does not cache (sessions) is described by the module that owns
it, with `describe()`, from the module's own constants: no figure here is typed by hand.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteCache:
    name: str
    where: str  # the alias (and its server) or the store
    stores: str  # what one entry holds
    key_shape: str
    timeout: int | None  # seconds; None: kept until invalidated (or evicted)
    invalidation: str
    why_safe: str
    generational: bool = False  # counted per hit and miss (sitecache.counters)


_registry: dict[str, SiteCache] = {}


def describe(entry: SiteCache) -> SiteCache:
    """Add (or, on a module reload, replace) a cache in the list; returns it."""
    _registry[entry.name] = entry
    return entry


def site_caches() -> list[SiteCache]:
    """Generational caches first, then the rest, each group by name."""
    return sorted(_registry.values(), key=lambda entry: (not entry.generational, entry.name))
