"""Family stories: drafted, approved by the family, checked by a clinician, published."""
from django.apps import AppConfig


class StoriesConfig(AppConfig):
    """Family stories: drafted, approved by the family, checked by a clinician, published."""

    name = "stride.web.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        # Registers the handlers (stride.web.events) and fills the case page's panel slot.
        from stride.web.stories import handlers, panels  # noqa: F401
