"""Arabic: the date-and-time formats and the digit grouping Django's module lacks."""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y، g:i A"
# Django's module names the separator but not the grouping; Arabic groups by thousands.
NUMBER_GROUPING = 3
