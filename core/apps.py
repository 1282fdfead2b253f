from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import (
            accounts,  # noqa: F401  (connects the receivers that audit sign-in events)
            sessions,  # noqa: F401  (connects the receiver that starts a session's clocks)
            user_cache,  # noqa: F401  (connects the receivers that drop a changed person from the cache)
        )
