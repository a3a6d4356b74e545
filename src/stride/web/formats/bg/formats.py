"""Bulgarian: the date-and-time formats and the digit grouping Django's module lacks."""

DATETIME_FORMAT = "d F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
# Django's module names the separator (a non-breaking space) but not the grouping, so
# amounts in cost estimates came out as "15000,10"; Bulgarian groups by thousands.
NUMBER_GROUPING = 3
