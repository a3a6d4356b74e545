"""Running Stride in production: the background worker, the health check, backup and restore.

The top floor, beside ``urls`` and ``demo``: the worker runs other apps' services on a
schedule (mail delivery, follow-up and consultation reminders), the health check reads the
worker's heartbeat and the mail queue, and backup and restore read and write every table.
Nothing below imports it. See docs/operations.md.
"""
