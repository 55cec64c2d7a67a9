"""Reading one cell of an import file: text, whole numbers, decimals, dates, choices.

Each reader turns what a spreadsheet or CSV gives (a string, a number, a date cell) into the
value the model wants, or raises CellError with a Dutch reason for the person importing.
"""

import datetime
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CellError(ValueError):
    """A value that cannot be read; the message is Dutch and meant for the person importing."""


def normalize_header(value: Any) -> str:
    return str(value or "").replace("\ufeff", "").strip().lower()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def parse_date(value: Any) -> datetime.date:
    """ISO `2024-01-31`, Dutch `31-01-2024` or `31-1-2024`, or a date cell of a spreadsheet."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        raise CellError(_("Vul een datum in."))
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise CellError(
            _("%(text)s is geen datum; schrijf bijvoorbeeld 31-01-2024 of 2024-01-31.")
            % {"text": text}
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("De datum %(text)s bestaat niet.") % {"text": text}) from None


def parse_optional_date(value: Any) -> datetime.date | None:
    return None if is_blank(value) else parse_date(value)


# `60` and `60.0` (a number from a spreadsheet) are whole numbers; `1.000` is refused rather
# than guessed at (a thousands separator, or one with three decimals?).
_WHOLE = re.compile(r"[+-]?\d+(?:\.0{1,2})?")
_FRACTION = re.compile(r"[+-]?\d*[.,]\d+")


def parse_count(value: Any, *, negative_message: str) -> int:
    """A whole, non-negative number."""
    if is_blank(value):
        raise CellError(_("Vul een aantal in."))
    if isinstance(value, bool):
        raise CellError(_("%(value)s is geen getal.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise CellError(_("%(value)s is geen heel getal.") % {"value": value})
        number = int(value)
    else:
        text = cell_text(value)
        if _WHOLE.fullmatch(text):
            number = int(text.split(".")[0])
        elif _FRACTION.fullmatch(text):
            raise CellError(
                _("%(text)s is geen heel getal (schrijf een aantal zonder punt of komma).")
                % {"text": text}
            )
        else:
            raise CellError(_("%(text)s is geen getal.") % {"text": text})
    if number < 0:
        raise CellError(negative_message)
    return number


def parse_decimal(value: Any) -> Decimal | None:
    """A decimal number such as a coordinate: `52.2215`, or `52,2215` as Dutch Excel writes it."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)s is geen getal.") % {"value": value})
    text = str(value) if isinstance(value, int | float | Decimal) else cell_text(value)
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("%(value)s is geen getal.") % {"value": cell_text(value)}) from None
    if not number.is_finite():
        raise CellError(_("%(value)s is geen getal.") % {"value": cell_text(value)})
    return number


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str:
    """A value of a fixed vocabulary, by its API value (`cno`) or its Dutch label."""
    text = cell_text(value)
    if not text:
        raise CellError(
            _("Vul een waarde in; kies uit: %(list)s.") % {"list": ", ".join(choices.values)}
        )
    lookup = {str(v).lower(): v for v in choices.values}
    lookup |= {str(label).lower(): v for v, label in choices.choices}
    try:
        return lookup[text.lower()]
    except KeyError:
        raise CellError(
            _("Onbekende waarde %(text)s; kies uit: %(list)s.")
            % {"text": repr(text), "list": ", ".join(choices.values)}
        ) from None


_YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_NO = {"nee", "n", "no", "false", "onwaar", "0"}


def parse_bool(value: Any) -> bool:
    """Yes or no: `ja`/`nee` (also `1`/`0`, `x`, true/false, a checkbox cell); empty is no."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(gettext("%(value)s is geen ja of nee.") % {"value": cell_text(value)})
