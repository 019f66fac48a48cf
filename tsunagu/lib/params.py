"""Reading ids and numbers that come straight from a query string or a posted field.

`str.isdigit()` is not enough: it accepts "²" and "١٢", which int() or the database then
refuse with a server error, and a 30-digit id overflows the database's integer. Anything
that is not a plain id is treated as no id at all, so the caller answers 404 or ignores it.
"""

# The largest id any table here can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive id given as ASCII digits, or None for anything else (missing, "abc", "²")."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_int(value, *, low: int, high: int) -> int | None:
    """An integer from `low` to `high` given as ASCII digits, or None for anything else."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if low <= number <= high else None
