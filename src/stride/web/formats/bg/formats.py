"""Bulgarian: the date-and-time formats Django's module lacks, in its own style."""

DATETIME_FORMAT = "d F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
