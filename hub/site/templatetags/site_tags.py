"""Template helpers: bilingual fields, dates the French or the English way, paragraphs, shares."""
from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# French: « samedi 5 décembre 2026 à 15 h 00 », « 5 juil. 2026 » (Django's "M" gives « Jui » for June and July);
# English: "Saturday 5 December 2026, 3:00 pm"
FORMATS = {
    "fr": {"when": r"l j F Y \à G \h i", "day": "l j F Y", "short": "j N Y", "time": r"G \h i"},
    "en": {"when": "l j F Y, g:i a", "day": "l j F Y", "short": "j M Y", "time": "g:i a"},
}


def _format(value, kind: str) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    lang = get_language() or "fr"
    fmt = FORMATS.get(lang, FORMATS["fr"])[kind]
    if not lang.startswith("en") and kind != "time" and value.day == 1:
        fmt = fmt.replace("j", r"\1\e\r", 1)   # « samedi 1er mai », never « 1 mai »
    text = formats.date_format(value, fmt)
    return text.replace(" h ", "\u202fh\u202f") if kind in ("when", "time") else text


@register.filter
def when(value) -> str:
    return _format(value, "when")


@register.filter
def day(value) -> str:
    return _format(value, "day")


@register.filter
def short_day(value) -> str:
    return _format(value, "short")


@register.filter
def clock(value) -> str:
    return _format(value, "time")


@register.filter
def tr(obj, field: str) -> str:
    return obj.tr(field)


@register.filter
def tr_lang(obj, field: str) -> str:
    return obj.tr_lang(field)


@register.filter
def paragraphs(text: str):
    """Paragraphs separated by blank lines, escaped; single line breaks kept."""
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return format_html_join("", "<p>{}</p>", ((mark_safe("<br>".join(conditional_escape(line)
                                                                       for line in b.split("\n"))),)
                                               for b in blocks))


@register.filter
def share(part, whole) -> int:
    """Whole percent of part in whole (0 when there is nothing to share)."""
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def thousands(value) -> str:
    return formats.number_format(value, force_grouping=True)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
