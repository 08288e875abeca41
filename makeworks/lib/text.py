"""Text folding shared by search, slugs and the gazetteer, and the one Markdown sanitiser."""

import re
import unicodedata
from html import unescape

import markdown as markdown_lib
import nh3

# Letters and digits only: underscores would act as wildcards in LIKE and GLOB patterns.
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Yaoundé", "YAOUNDE" and "yaounde" compare equal."""
    if text.isascii():
        # Nothing to decompose: the gazetteer's load folds some 400,000 names, most of them plain ASCII.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))


def trigrams(word: str) -> set[str]:
    """The trigrams of a word padded as pg_trgm pads it, so both search back ends rank alike."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# Characters that reorder the text around them without being seen (embeddings, overrides, isolates and
# marks), so a name can display as something else than it is, or spill its direction into the page.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi(text: str) -> str:
    """`text` without Unicode bidirectional control characters. Names and titles need none: a browser
    lays out right-to-left letters by themselves, and each name is shown in its own element."""
    return text.translate(_BIDI_TABLE)


# What Markdown written by members and hubs may become: structure and links, never images, scripts,
# styles or frames.
MARKDOWN_TAGS = frozenset(
    {"p", "a", "ul", "ol", "li", "strong", "em", "h2", "h3", "h4", "blockquote", "code", "pre", "br"}
)
MARKDOWN_ATTRIBUTES = {"a": {"href"}}
MARKDOWN_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def markdown_html(text: str) -> str:
    """Markdown rendered to HTML and sanitised by nh3, safe to put in a page as it is; links get
    rel="nofollow noopener noreferrer ugc"."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=set(MARKDOWN_TAGS),
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes=set(MARKDOWN_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer ugc",
    )


def markdown_plain(text: str) -> str:
    """The words of a Markdown text without its markup, on one line: for summaries on cards and in
    e-mails, where "**bold**" should read as "bold", not as asterisks. Not escaped: a template escapes
    it like any other text."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    # Every tag goes, script and style with their content; what is left is text with entities.
    stripped = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(unescape(stripped).split())
