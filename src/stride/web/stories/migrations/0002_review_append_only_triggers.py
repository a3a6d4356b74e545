"""Database triggers that make a story's review rows append-only, even for raw SQL.

The triggers, and why SQLite keeps DELETE, are described in
:mod:`stride.web.platform.append_only`.
"""

from django.db import migrations

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]
    operations = [append_only_triggers(
        table="stories_storyreview", function="stride_stories_review_append_only",
        trigger="stories_storyreview_append_only", message="story reviews are append-only")]
