from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Follow-up visits planned from templates, reminders and their completion."""

    name = "stride.web.followup"
    label = "followup"
    verbose_name = "Follow-up"
