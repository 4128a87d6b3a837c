"""Reading CSV files as spreadsheets and CRMs write them: encodings, delimiters, and the many
ways people write dates, amounts and yes/no.

Every parser takes the cell's text and returns the value, or raises ValueError with a message
that can be shown next to the row as it is.
"""

import csv
import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from winback_app import money
from winback_app.rules import RuleViolation

DELIMITERS = (",", ";", "\t")
DATE_ORDERS = {"dmy": "Day first (31/12/2026)", "mdy": "Month first (12/31/2026)"}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
TRUE_WORDS = {"yes", "y", "true", "t", "1", "x", "on", "✓"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "off", ""}

_TIME = re.compile(
    r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?(?:z|[+-]\d{2}:?\d{2})?$", re.I
)
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s./-]+([a-z]+)\.?[\s./,-]+(\d{2}|\d{4})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?[\s./-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s./-]+(\d{4})$")


class NotCSV(RuleViolation):
    """The uploaded bytes are not a CSV file this app can read."""

    def __init__(self, message: str):
        super().__init__(message, "file")


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without BOM); NotCSV with a helpful message otherwise."""
    if data.startswith(b"PK\x03\x04"):
        raise NotCSV("This is a spreadsheet workbook, not CSV. Save it as “CSV UTF-8” first.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotCSV("This file is UTF-16 text. Save it from your spreadsheet as “CSV UTF-8”.")
    if b"\x00" in data[:4096]:
        raise NotCSV("This is not a CSV file (it holds binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotCSV(
            "This file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and "
            "upload it again."
        ) from None
    if not text.strip():
        raise NotCSV("The file is empty.")
    return text


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header row into the most columns."""
    head = "\n".join(text.splitlines()[:5])
    widths = {d: len(next(csv.reader(io.StringIO(head), delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: widths[d])  # ties go to the comma, listed first


def read_table(text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows; wholly blank rows (spreadsheets add them) are dropped.

    Rows keep their position: row ``i`` of the result is spreadsheet row ``i + 2``.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [[cell.replace("\r\n", "\n") for cell in row] for row in reader]
    except csv.Error as error:
        raise NotCSV(f"The file could not be read as CSV ({error}).") from None
    if not rows:
        raise NotCSV("The file is empty.")
    headers = [cell.strip() for cell in rows[0]]
    return headers, [row if any(c.strip() for c in row) else [] for row in rows[1:]]


def normalise_header(text: str) -> str:
    """A header reduced to lower-case words, so "Lost_Date", "lost date" and "Lost-date" match."""
    text = re.sub(r"['’()?#.:]", "", text.lower())
    return " ".join(re.sub(r"[_\-/]", " ", text).split())


def guess_date_order(values) -> str:
    """ "mdy" when the dates written with numbers only make sense month first, else "dmy"."""
    votes = {"dmy": 0, "mdy": 0}
    for value in values:
        match = _NUMERIC.match(_TIME.sub("", value.strip()))
        if match and match.group(2) != ".":
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                votes["dmy"] += 1
            elif second > 12 >= first:
                votes["mdy"] += 1
    return "mdy" if votes["mdy"] > votes["dmy"] else "dmy"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _month(name: str) -> int:
    if name not in MONTHS:
        raise ValueError
    return MONTHS[name]


def parse_date(text: str, order: str = "dmy") -> date:
    """A date in ISO, dd/mm/yyyy or mm/dd/yyyy (``order``), dd.mm.yyyy, "3 Mar 2026" or
    "Mar 3, 2026" (a time after it is ignored)."""
    value = _TIME.sub("", text.strip()).lower()
    try:
        if match := _ISO.match(value):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _NUMERIC.match(value):
            first, second = int(match.group(1)), int(match.group(3))
            # Dotted dates are day first everywhere they are used.
            day_first = order == "dmy" or match.group(2) == "."
            day, month = (first, second) if day_first else (second, first)
            return date(_year(match.group(4)), month, day)
        if match := _DAY_MONTH.match(value):
            return date(_year(match.group(3)), _month(match.group(2)), int(match.group(1)))
        if match := _MONTH_DAY.match(value):
            return date(int(match.group(3)), _month(match.group(1)), int(match.group(2)))
    except ValueError:
        pass
    raise ValueError(f"“{text}” is not a date (write e.g. 2026-03-31 or 31/03/2026).")


def parse_number(text: str) -> Decimal:
    """A number as people write amounts: "12,500.00", "12.500,00", "€ 12 500", "(500)".

    Files come from spreadsheets set up anywhere, so "12.500" is twelve thousand five hundred
    (no amount here has three decimals).
    """
    try:
        return money.read_number(text, thousands_dot=True)
    except money.MoneyError:
        raise ValueError(f"“{text}” is not a number.") from None


def parse_money(text: str) -> Decimal:
    """An amount rounded to cents: spreadsheets write computed amounts with float noise
    ("12499.999999999998"), which a row should not be refused for."""
    try:
        return money.parse_money(text, rounding=ROUND_HALF_UP, thousands_dot=True)
    except money.MoneyError as problem:
        if problem.problem == money.FORMAT:
            raise ValueError(f"“{text}” is not a number.") from None
        raise


def parse_int(text: str) -> int:
    """A whole number; "36 months" reads as 36."""
    number = parse_number(re.sub(r"\s*(months?|mos?|m)\.?$", "", text.strip(), flags=re.I))
    if number != number.to_integral_value():
        raise ValueError(f"“{text}” is not a whole number.")
    return int(number)


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0, x or empty."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"“{text}” is not yes or no.")


def split_list(text: str) -> list[str]:
    """The items of a cell that lists several values, separated by semicolons or lines."""
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


def write_csv(rows, delimiter: str = ",") -> str:
    """Rows written as CSV text (CRLF line ends, as spreadsheets expect)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()
