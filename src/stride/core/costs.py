"""Cost estimates for families: ISO 4217 currencies, checked amounts and exact totals.

Amounts are :class:`~decimal.Decimal` with at most two decimal places, never floats, so a
total is exactly the sum of its lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from stride.core.errors import InvalidValue

#: Active ISO 4217 currency codes (list one as published by SIX Financial Information,
#: 2024), without fund codes, precious metals, testing and "no currency" codes: a family
#: pays in a currency, not in gold or an accounting unit.
_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
ZWG
"""
CURRENCIES: frozenset[str] = frozenset(_CODES.split())

#: Largest unit amount accepted (the database column holds 12 digits, 2 after the point).
MAX_AMOUNT = Decimal("9999999999.99")
#: Most units on one line (a stay of a year in nights, with room to spare).
MAX_QUANTITY = 1000
_CENT = Decimal("0.01")


def check_currency(value: str) -> str:
    """Return an ISO 4217 currency code in capitals (``eur`` -> ``EUR``).

    Raises
    ------
    InvalidValue
        If the code is not an active ISO 4217 currency.
    """
    code = value.strip().upper()
    if code not in CURRENCIES:
        raise InvalidValue("currency", value, "a three-letter ISO 4217 code such as EUR or USD")
    return code


def check_amount(value: Decimal | str, *, field: str = "unit_amount") -> Decimal:
    """Return an amount as a Decimal with two places; refuse negatives, over-long amounts
    and more than two decimal places (``"12.5"`` -> ``Decimal("12.50")``)."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValue(field, value, "a number such as 1250.00") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise InvalidValue(field, value, f"an amount from 0 to {MAX_AMOUNT}")
    if amount != amount.quantize(_CENT):
        raise InvalidValue(field, value, "an amount with at most two decimal places")
    return amount.quantize(_CENT)


def check_quantity(value: int) -> int:
    """Return ``value``; refuse a quantity below 1 or above :data:`MAX_QUANTITY`."""
    if not 1 <= value <= MAX_QUANTITY:
        raise InvalidValue("quantity", value, f"a whole number from 1 to {MAX_QUANTITY}")
    return value


@dataclass(frozen=True)
class CostLineValue:
    """One checked line of an estimate."""

    description: str
    quantity: int
    unit_amount: Decimal

    @property
    def amount(self) -> Decimal:
        """The line's amount: quantity times unit amount."""
        return self.unit_amount * self.quantity


def cost_line(description: str, quantity: int, unit_amount: Decimal | str) -> CostLineValue:
    """Return a checked cost line.

    Raises
    ------
    InvalidValue
        For an empty description, a quantity or an amount out of range.
    """
    text = description.strip()
    if not text:
        raise InvalidValue("description", description, "a short description of the cost")
    return CostLineValue(text, check_quantity(quantity), check_amount(unit_amount))


def estimate_total(lines: Iterable[CostLineValue]) -> Decimal:
    """Return the exact sum of the lines' amounts (``0.00`` for no lines)."""
    return sum((line.amount for line in lines), Decimal("0.00"))
