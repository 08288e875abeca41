"""Spreadsheet safety for CSV files people open in Excel or LibreOffice.

A text cell starting with =, +, -, @, a tab or a carriage return is run as a formula by spreadsheets
(CSV injection), so exports put a single quote before it; a cell that already starts with a quote gets
one more, so that an import can take exactly one off and give back the same text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_QUOTE = "'"


def cell_neutralise(text: str) -> str:
    if text.startswith((*FORMULA_STARTS, NEUTRALISING_QUOTE)):
        return NEUTRALISING_QUOTE + text
    return text


def cell_restore(text: str) -> str:
    """Undo cell_neutralise: only a quote that cell_neutralise could have added is taken off."""
    if text.startswith(NEUTRALISING_QUOTE) and text[1:].startswith((*FORMULA_STARTS, NEUTRALISING_QUOTE)):
        return text[1:]
    return text
