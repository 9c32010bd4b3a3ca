from django.apps import AppConfig


class CachelabConfig(AppConfig):
    name = "cachelab"
    verbose_name = "Cache Lab"
