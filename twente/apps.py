from django.apps import AppConfig


class TwenteConfig(AppConfig):
    name = "twente"
    verbose_name = "Twente"
