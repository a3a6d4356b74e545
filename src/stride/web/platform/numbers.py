"""Numbers as people read them: rounded as their measure is, in the reader's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.formats import number_format


def fixed(value: float, places: int = 1) -> str:
    """Return ``value`` rounded half up to ``places`` decimals, in the reader's locale.

    Django's ``number_format`` cuts a float's extra decimals off (2.68 would read 2.6),
    so the value is rounded here first; a value that rounds to zero loses its sign.
    """
    exact = Decimal(repr(float(value)))
    with localcontext() as context:
        # Enough digits for any finite float (up to 309 before the point), so a huge value
        # from a device is shown, not a crash of the page.
        context.prec = 330 + places
        rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return number_format(rounded.copy_abs() if rounded == 0 else rounded, decimal_pos=places)
