from django import template

from meetings.redaction import woo_readable

register = template.Library()


@register.filter(name="woo")
def woo(value) -> str:
    """`{{ text|woo }}`: Woo redaction codes as "naam weggelakt (Woo 5.1.2e)". Returns plain
    text, so autoescaping and filters such as linebreaks still apply after it."""
    return woo_readable("" if value is None else str(value))
