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

    @property
    def timeout_text(self) -> str:
        if self.timeout is None:
            return "none: kept until invalidated (or evicted)"
        if self.timeout == 0:
            return "0 s: revalidated on every use"
        return f"{self.timeout:,} s ({duration_words(self.timeout)})"


def duration_words(seconds: int) -> str:
    """3660 -> "1 h 1 min"; 120 -> "2 min"; 1209600 -> "14 days"."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, "days" if days > 1 else "day"), (hours, "h"), (minutes, "min"), (seconds, "s")]
    return " ".join(f"{value} {unit}" for value, unit in parts if value) or "0 s"


_registry: dict[str, SiteCache] = {}


def describe(entry: SiteCache) -> SiteCache:
    """Add (or, on a module reload, replace) a cache in the list; returns it."""
    _registry[entry.name] = entry
    return entry


def site_caches() -> list[SiteCache]:
    """Generational caches first, then the rest, each group by name."""
    return sorted(_registry.values(), key=lambda entry: (not entry.generational, entry.name))
