"""Amounts of money as people type them, read one way everywhere: account and interview forms,
the accounts list's value filters, the thank-you service and the CSV import.

``parse_money`` is the one reader, and its contract is:

- blank text (None, "", spaces) is no amount: it returns None, and the caller decides whether
  an amount was required;
- anything else comes back as a Decimal with exactly ``places`` decimals, or raises
  MoneyError: a ValueError whose message can be shown next to the field as it is, and whose
  ``problem`` says which check failed, so a caller may word that one its own way;
- the sign is the caller's rule: "-5" and "(500)" are read as negative amounts and left to the
  caller's "zero or more" or "above zero" message.

It reads what spreadsheets, CRMs and people write: "12500", "12,500.00", "12.500,00",
"€ 12 500", "12 500 EUR", "CHF 1'250.50", "$1,234,567.89". A value too large or too precise is
refused with a message, never an arithmetic exception.
"""

import re
from decimal import Decimal, InvalidOperation, localcontext

# The largest amount a Numeric(14, 2) column holds.
MONEY_MAX = Decimal("999999999999.99")
MONEY_HELP = "Enter an amount such as 12500 or 12,500.00."
FORMAT, PLACES, MAXIMUM = "format", "places", "maximum"

_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[€$£¥₹]|CA\$|A\$|kr)\s*|\s*(?:[A-Z]{3}|[€$£¥₹]|kr)$")
# Thousands separators people type inside amounts: spaces (plain, no-break, narrow) and the
# Swiss apostrophe.
_GROUPING = re.compile(r"[\s\u00a0\u202f'’]")
_NUMBER = re.compile(r"[-+]?(?:\d[\d.,]*|[.,]\d+)")
_LAKHS = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}")
_DECIMALS = {1: "one decimal", 2: "two decimals", 3: "three decimals", 4: "four decimals"}


class MoneyError(ValueError):
    """Text that is not an amount this app takes; ``problem`` is FORMAT, PLACES or MAXIMUM."""

    def __init__(self, message: str, problem: str):
        super().__init__(message)
        self.message = message
        self.problem = problem


def _thousands(digits: str, separator: str) -> bool:
    """True when ``separator`` groups thousands in ``digits``: "12,500", "1.234.567", or the
    Indian lakh grouping "1,00,000"."""
    whole = digits.lstrip("+-")
    groups = whole.split(separator)
    if len(groups) == 2 and groups[0] in ("", "0"):
        return False  # "0.125" is a fraction, not a hundred and twenty-five
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return True
    return separator == "," and _LAKHS.fullmatch(whole) is not None


def read_number(text: str, *, thousands_dot: bool = False) -> Decimal:
    """The number in ``text`` as written, before any rule on size or decimals.

    With both a dot and a comma, the last one is the decimal mark ("12.500,50"). With one kind,
    groups of exactly three digits after it are thousands ("12,500", "1.234.567"), except that
    a single dot ("12.345") is a decimal point, as the team types amounts, unless
    ``thousands_dot`` says the text comes from files that group thousands with dots ("12.500"
    is then twelve thousand five hundred). Raises MoneyError (FORMAT) when it is no number.
    """
    value = _CURRENCY.sub("", text.strip()).strip()
    negative = value.startswith("(") and value.endswith(")")
    value = _GROUPING.sub("", value.strip("()"))
    if not _NUMBER.fullmatch(value):
        raise MoneyError(MONEY_HELP, FORMAT)
    if "." in value and "," in value:
        decimal_mark = "." if value.rfind(".") > value.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = value.rpartition(decimal_mark)
        value = whole.replace(grouping, "") + "." + fraction
    else:
        single_dot = value.count(".") == 1 and not thousands_dot
        for mark in ".,":
            if mark in value and _thousands(value, mark) and not (mark == "." and single_dot):
                value = value.replace(mark, "")
            elif value.count(mark) == 1:
                value = value.replace(mark, ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise MoneyError(MONEY_HELP, FORMAT) from None
    return -number if negative else number


def _decimals(number: Decimal) -> int:
    """How many decimals ``number`` really has: trailing zeros ("12.50") do not count."""
    _, digits, exponent = number.as_tuple()
    if not any(digits):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def places_message(places: int) -> str:
    """The refusal for an amount with more than ``places`` decimals."""
    if places == 0:
        return "Enter a whole amount, without decimals."
    return f"Use at most {_DECIMALS.get(places, f'{places} decimals')}."


def parse_money(
    text: str | None,
    *,
    places: int = 2,
    maximum: Decimal = MONEY_MAX,
    rounding: str | None = None,
    thousands_dot: bool = False,
) -> Decimal | None:
    """The amount in ``text`` with ``places`` decimals, or None when ``text`` is blank.

    Raises MoneyError when the text is not a number (FORMAT), when the amount is further from
    zero than ``maximum`` (MAXIMUM), or when it has more than ``places`` decimals (PLACES). With
    a ``rounding`` mode such as ``decimal.ROUND_HALF_UP`` extra decimals are rounded away
    instead of refused, for input written by programs rather than people. ``thousands_dot``
    is passed on to ``read_number``.
    """
    if text is None or not str(text).strip():
        return None
    amount = read_number(str(text), thousands_dot=thousands_dot)
    if abs(amount) > maximum:
        raise MoneyError(f"Enter at most {maximum:,}.", MAXIMUM)
    if rounding is None and _decimals(amount) > places:
        raise MoneyError(places_message(places), PLACES)
    # Room for every digit read plus the decimals, so even a long fraction of a small amount
    # rounds instead of raising InvalidOperation.
    with localcontext() as context:
        context.prec = max(context.prec, len(amount.as_tuple().digits) + places + 1)
        return amount.quantize(Decimal(1).scaleb(-places), rounding=rounding)
