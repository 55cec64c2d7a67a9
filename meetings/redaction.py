"""Redaction codes in published minutes, in words a reader understands.

Minutes released under the Woo (Wet open overheid) replace personal names by the ground for
withholding them, such as "5.1.2e" (privacy), often once per word of the name ("5.1.2e
5.1.2e"). Shown as they are, the codes read like figures; `woo_readable` turns each run of
codes into "naam weggelakt (Woo 5.1.2e)". The stored text keeps the codes, as published.
"""

import re

from django.utils.translation import gettext

# A Woo ground with its letter (5.1.1c-e, 5.1.2a-i), alone or repeated for a name's words.
# The letter is required, so an agenda number such as 5.1.2 is left alone.
CODE = r"5\.[12]\.[12][a-i]"
RUN = re.compile(rf"(?<![\w.])({CODE})(?:\s+{CODE})*(?![\w])")


def woo_readable(text: str) -> str:
    if not text or "5." not in text:
        return text
    return RUN.sub(
        lambda match: gettext("naam weggelakt (Woo %(code)s)") % {"code": match.group(1)}, text
    )
