"""Text folding shared by search, slugs and the gazetteer."""

import re
import unicodedata

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
