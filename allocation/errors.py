"""Dutch messages for the engine's English :class:`~allocation.engine.AllocationError`.

The engine names the numbers involved in English (it has no Django and no i18n). Each of its
error cases has a pattern here; the numbers are kept and CBS codes become "Name (GM0153)"
when the caller knows the names. A message that matches no pattern is a new engine case: it is
shown in English with a Dutch lead-in, and a test guards that every known case is covered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .engine import AllocationError

_PER_KEY_NAMES = {"minimum": "het minimum", "maximum": "het maximum", "credit": "de eerdere inzet"}
_LIST_NAMES = {
    "minimums": "de minima",
    "maximums": "de maxima",
    "credits": "de eerdere inzet",
    "exclude": "de uitgesloten gemeenten",
}
_METHOD_NAMES = (
    "grootste overschot (largest_remainder), D'Hondt (dhondt) of Sainte-Laguë (sainte_lague)"
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bound_not_negative(match: re.Match, name) -> str:
    what, _, key = match["name"].partition(" for ")
    label = _PER_KEY_NAMES.get(what, what)
    where = f" voor {name(key)}" if key else ""
    return f"{_capital(label)}{where} mag niet negatief zijn (nu {match['value']})."


# (pattern, Dutch message builder). Order matters only where patterns overlap.
_CASES: list[tuple[re.Pattern, object]] = [
    (
        re.compile(r"^The total must not be negative, got (?P<value>-?\d+)$"),
        lambda m, name: f"Het totaal mag niet negatief zijn (nu {m['value']}).",
    ),
    (
        re.compile(r"^Unknown method (?P<method>.+?); expected one of .*$"),
        lambda m, name: f"Onbekende verdeelmethode {m['method']}; kies uit {_METHOD_NAMES}.",
    ),
    (
        re.compile(r"^The weight of (?P<key>\S+) must not be negative, got (?P<value>.+)$"),
        lambda m, name: (
            f"Het gewicht van {name(m['key'])} mag niet negatief zijn (nu {m['value']})."
        ),
    ),
    (
        re.compile(r"^The weight of (?P<key>\S+) must be a finite number, got (?P<value>.+)$"),
        lambda m, name: (
            f"Het gewicht van {name(m['key'])} moet een eindig getal zijn (nu {m['value']})."
        ),
    ),
    (
        re.compile(r"^The minimum of (?P<low>\d+) is above the maximum of (?P<high>\d+)$"),
        lambda m, name: f"Het minimum van {m['low']} is hoger dan het maximum van {m['high']}.",
    ),
    (
        re.compile(r"^The (?P<name>.+?) must not be negative, got (?P<value>-?\d+)$"),
        _bound_not_negative,
    ),
    (
        re.compile(r"^Unknown municipality in (?P<field>\w+): (?P<keys>.+)$"),
        lambda m, name: (
            f"Onbekende gemeente bij {_LIST_NAMES.get(m['field'], m['field'])}: {m['keys']}."
        ),
    ),
    (
        re.compile(r"^(?P<key>\S+) is excluded but has a minimum of (?P<value>\d+)$"),
        lambda m, name: f"{name(m['key'])} is uitgesloten maar heeft een minimum van {m['value']}.",
    ),
    (
        re.compile(r"^(?P<key>\S+) is excluded but has a credit of (?P<value>\d+)$"),
        lambda m, name: (
            f"{name(m['key'])} is uitgesloten maar heeft eerdere inzet van {m['value']}."
        ),
    ),
    (
        re.compile(
            r"^The minimum of (?P<low>\d+) for (?P<key>\S+) is above its maximum of (?P<high>\d+)$"
        ),
        lambda m, name: (
            f"Het minimum van {m['low']} voor {name(m['key'])} is hoger dan het "
            f"maximum van {m['high']}."
        ),
    ),
    (
        re.compile(
            r"^The credit of (?P<low>\d+) for (?P<key>\S+) is above its maximum of (?P<high>\d+)$"
        ),
        lambda m, name: (
            f"De eerdere inzet van {m['low']} voor {name(m['key'])} is hoger dan "
            f"het maximum van {m['high']}."
        ),
    ),
    (
        re.compile(r"^Minimums add up to (?P<sum>\d+), above the total of (?P<total>\d+)$"),
        lambda m, name: (
            f"De minima tellen op tot {m['sum']}, meer dan het totaal van {m['total']}."
        ),
    ),
    (
        re.compile(r"^Credits add up to (?P<sum>\d+), above the total of (?P<total>\d+)$"),
        lambda m, name: (
            f"De eerdere inzet telt op tot {m['sum']}, meer dan het totaal van {m['total']}."
        ),
    ),
    (
        re.compile(
            r"^Minimums and credits together require (?P<sum>\d+) places, "
            r"above the total of (?P<total>\d+)$"
        ),
        lambda m, name: (
            f"Minima en eerdere inzet samen vragen {m['sum']} plaatsen, meer dan "
            f"het totaal van {m['total']}."
        ),
    ),
    (
        re.compile(
            r"^No municipality has a positive weight to receive the (?P<open>\d+) places "
            r"above the minimums$"
        ),
        lambda m, name: (
            f"Geen enkele gemeente heeft een gewicht groter dan 0 om de "
            f"{m['open']} plaatsen boven de minima te krijgen."
        ),
    ),
    (
        re.compile(
            r"^Maximums add up to (?P<sum>\d+), below the total of (?P<total>\d+)(?P<note> .*)?$"
        ),
        lambda m, name: (
            f"De maxima tellen op tot {m['sum']}, minder dan het totaal van "
            f"{m['total']}"
            + (" (een gemeente met gewicht 0 telt mee met haar minimum)" if m["note"] else "")
            + "."
        ),
    ),
]

FALLBACK = "De verdeling is niet mogelijk: {message}"


def translate(error: AllocationError, names: Mapping[str, str] | None = None) -> str:
    """The Dutch message for an engine error; ``names`` maps CBS codes to municipality names."""
    names = names or {}

    def name(code: str) -> str:
        return f"{names[code]} ({code})" if code in names else code

    message = str(error)
    for pattern, build in _CASES:
        match = pattern.match(message)
        if match:
            return build(match, name)  # type: ignore[operator]
    return FALLBACK.format(message=message)
