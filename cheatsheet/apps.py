from django.apps import AppConfig


class CheatsheetConfig(AppConfig):
    name = "cheatsheet"
    verbose_name = "Cheat sheet"
