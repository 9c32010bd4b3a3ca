from django.apps import AppConfig
from django.conf import settings


class SitecacheConfig(AppConfig):
    name = "sitecache"
    verbose_name = "The site's own caching"

    def ready(self) -> None:
        from sitecache.registry import SiteCache, describe

        engine = settings.SESSION_ENGINE.rsplit(".", 1)[-1]
        describe(
            SiteCache(
                name="sessions",
                where=f"the database (Django's “{engine}” session engine), not cached",
                stores="Who is signed in, an anonymous learner's visitor id, messages.",
                key_shape="django_session row by session key (the cookie)",
                timeout=settings.SESSION_COOKIE_AGE,
                invalidation="Log-out and password changes delete or rotate the row itself.",
                why_safe=(
                    "Nothing to invalidate: a session lives in one place only. A copy in "
                    "Redis (“cached_db”) could outlive a log-out whose cache delete failed "
                    "while Redis was unreachable, signing the old cookie in again. Reading "
                    "the row costs one indexed query, about what a Redis read costs."
                ),
            )
        )
