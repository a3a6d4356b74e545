"""Arabic: the date-and-time formats Django's module lacks, in its own style."""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y، g:i A"
