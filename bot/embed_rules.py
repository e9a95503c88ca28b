"""What the bot's embeds (cogs/render.py) and the plain-HTTP webhook (bot/webhook.py) share: Discord's embed
limits, how Discord counts lengths, and which URL from a feed may be shown as a link.

No discord import: bot/ must run without it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
TOTAL_MAX = 6000
URL_MAX = 2048

LINK_MAX = 512  # a link longer than this is shown as text: it would crowd a 1024-unit field
# `<` and `>` open or close Discord's `<url>` wrapper, `"` ends an attribute, `[`, `]`, `(`, `)` could form a
# masked link `[text](url)`, a backtick a code span, and some browsers read a backslash as a slash.
_UNSAFE = frozenset('<>"[]()`\\')


def units(text: str) -> int:
    """Length as Discord may count it (UTF-16 code units; an emoji can be two)."""
    return len(text.encode("utf-16-le")) // 2


def clean_link(url: object) -> bool:
    """Whether a URL from a feed or a record may be shown as a link: http(s) with a host, no user-info
    (`https://gov.example@evil.example`), and none of whitespace, control or format characters (bidi
    overrides, zero-width spaces) or the characters above. Anything else is shown as escaped text."""
    if not isinstance(url, str) or not url or len(url) > LINK_MAX:
        return False
    if any(ch in _UNSAFE or ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # a malformed port raises here
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
