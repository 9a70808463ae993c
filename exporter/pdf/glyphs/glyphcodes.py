"""Glyphs that stand for more than one character, given private code points ReportLab can draw.

ReportLab draws a font's glyph only through a character its cmap maps to it. An emoji sequence
(🧘‍♀️ is five code points, one glyph) or a joined Arabic letter form has no such character. Each
(font, glyph, text) gets a code point from Supplementary Private Use Area-A, added to that font's
character map and widths; the ToUnicode CMap (tounicode.py) then writes the text it stands for,
so copying from the PDF gives back the characters that were written, not the private code.

The private values never reach the PDF's bytes (fonts are embedded as subsets with their own
one-byte codes), so the order in which they are handed out does not affect rebuilds; where the
subsets are seeded, `in_seed_order` sorts glyph codes by what they draw, not by their value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

FIRST_CODE = 0xF0000
LAST_CODE = 0xFFFFD

#: The most UTF-16 units one glyph's ToUnicode entry may stand for: MuPDF ignores a longer one
#: ("ignoring one to many mapping in cmap") and reads nothing for the glyph (see entry_pieces).
MOST_UNITS = 8

_codes: dict[tuple[str, int, str, float | None], int] = {}
#: Glyph code -> what it draws: (glyph, text, advance or -1.0 for the glyph's own).
_drawn: dict[int, tuple[int, str, float]] = {}
_texts: dict[int, str] = {}
#: Glyph code -> the arguments glyph_char was given for it (to give it again in another process).
_made: dict[int, tuple[str, int, str, float | None]] = {}
#: Glyph code -> what draws it: the same glyph, then invisible zero-width carriers with the rest
#: of a text one ToUnicode entry cannot hold (an emoji sequence: see entry_pieces).
_tails: dict[int, str] = {}


def glyph_char(font_name: str, glyph: int, text: str, width: float | None = None) -> str:
    """A character that draws glyph of font_name and stands for text in the text layer.

    width (thousandths of an em) overrides the glyph's advance, e.g. HarfBuzz's zero advance
    for a combining mark.
    """
    key = (font_name, glyph, text, None if width is None else round(width, 3))
    code = _codes.get(key)
    if code is None:
        from reportlab.pdfbase import pdfmetrics

        code = FIRST_CODE + len(_codes)
        if code > LAST_CODE:
            raise RuntimeError("too many distinct glyph sequences in one process")
        face = pdfmetrics.getFont(font_name).face
        face.charToGlyph[code] = glyph
        if width is None:
            width = glyph_advance(font_name, glyph)
        face.charWidths[code] = width
        _codes[key] = code
        _made[code] = (font_name, glyph, text, None if key[3] is None else width)
        _drawn[code] = (glyph, text, -1.0 if key[3] is None else key[3])
        pieces = entry_pieces(text)
        _texts[code] = pieces[0]
        if len(pieces) > 1:
            _tails[code] = _drawn_as(font_name, glyph, pieces, width)
    return chr(code)


def _drawn_as(font_name: str, glyph: int, pieces: list[str], width: float) -> str:
    """The glyph with the first piece of its text, then a carrier for each other piece.

    A carrier is a blank glyph that has no advance in the font either: MuPDF moves on by the
    font's own advance and starts a new line when the next glyph comes back from there.
    (poppler still drops a carrier that repeats an earlier one, as a fake-bold copy: it reads
    🧑‍🧑‍🧒‍🧒 as 🧑‍🧑‍🧒; moving the repeat back or forth puts it out of order instead.)
    """
    blank = _blank_glyph(font_name)
    carriers = "".join(glyph_char(font_name, blank, piece, width=0.0) for piece in pieces[1:])
    return glyph_char(font_name, glyph, pieces[0], width) + carriers


@lru_cache(maxsize=8)
def _blank_glyph(font_name: str) -> int:
    """A glyph of font_name with neither ink nor advance (the joiner's, in the emoji font)."""
    font = harfbuzz_font(font_name)
    for char in (0x200D, *_EMPTY_CHARACTERS):
        glyph = font.get_nominal_glyph(char)
        if glyph and font.get_glyph_h_advance(glyph) == 0 and font.get_glyph_extents(glyph).width == 0:
            return int(glyph)
    return 0


def entry_pieces(text: str) -> list[str]:
    """text cut into the pieces every reader takes from one ToUnicode entry.

    MuPDF decodes a surrogate pair only when it is an entry's whole text (in a longer one each
    half comes out alone, as invalid text) and ignores an entry of more than MOST_UNITS units:
    a character beyond the Basic Multilingual Plane is a piece of its own, others go in runs.
    """
    pieces: list[str] = []
    for char in text:
        if ord(char) > 0xFFFF or not pieces or ord(pieces[-1][-1]) > 0xFFFF or len(pieces[-1]) == MOST_UNITS:
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces or [""]


def as_drawn(text: str) -> str:
    """text with each glyph code whose text one ToUnicode entry cannot hold replaced by what
    draws it (see _drawn_as): its glyph and zero-width carriers, as wide as it.

    Character spacing (Tc) would move each carrier, but only a line of one font is tracked, and
    no line of the emoji font alone is long enough to be.
    """
    if not _tails or max(text, default=" ") < chr(FIRST_CODE):
        return text
    return "".join(_tails.get(ord(char), char) for char in text)


#: Characters whose glyph is empty (some fonts draw a visible mark for ZWJ): a zero-width copy
#: of one carries text alone.
_EMPTY_CHARACTERS = (0x20, 0x200B)


def carrier_char(font_name: str, text: str) -> str:
    """An invisible, zero-width glyph that stands for text in the text layer.

    Text extractors reverse right-to-left lines glyph by glyph; a glyph standing for several
    characters (a lam-alef ligature) would come out with them reversed. Giving each character
    but the first its own zero-width glyph lets every extractor put them back in order.
    """
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font_name).face
    glyph = next((face.charToGlyph[c] for c in _EMPTY_CHARACTERS if c in face.charToGlyph), 0)
    return glyph_char(font_name, glyph, text, width=0.0)


@lru_cache(maxsize=16)
def harfbuzz_font(font_name: str) -> Any:
    """The registered font's file as a HarfBuzz font (shaping, glyph advances), loaded once."""
    import uharfbuzz
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font_name).face
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(face.filename)))


def glyph_advance(font_name: str, glyph: int) -> float:
    """A glyph's advance in thousandths of an em.

    Read with HarfBuzz: ReportLab's own table holds the advances of glyphs past the font's last
    explicit metric (every emoji of a monospaced emoji font) already scaled, i.e. wrong.
    """
    font = harfbuzz_font(font_name)
    advance: float = font.get_glyph_h_advance(glyph) * 1000.0 / font.face.upem
    return advance


def text_of(code: int) -> str | None:
    """The text a private code point stands for (None for any other code point)."""
    return _texts.get(code)


def written(text: str) -> str:
    """text with every glyph code replaced by the text it stands for (an emoji sequence whole)."""
    if max(text, default=" ") < chr(FIRST_CODE):
        return text
    return "".join(_drawn[ord(char)][1] if ord(char) in _drawn else char for char in text)


def in_seed_order(chars: Iterable[str]) -> str:
    """chars once each: characters by code point, then glyph codes by what they draw (glyph,
    text, advance), an order that does not depend on when this process handed each code out."""
    unique = set(chars)
    plain = sorted(char for char in unique if ord(char) < FIRST_CODE)
    glyphs = sorted((char for char in unique if ord(char) >= FIRST_CODE), key=lambda char: _drawn[ord(char)])
    return "".join(plain + glyphs)


def seed_identity(seed: Mapping[str, str]) -> str:
    """What a font seed holds, told without the private values this process gave its glyph
    codes (they depend on the order it met them): for keys that must hold between processes."""
    described = [
        (font, [char if ord(char) < FIRST_CODE else _drawn[ord(char)] for char in chars])
        for font, chars in sorted(seed.items())
    ]
    return repr(described)


def is_glyph_code(char: str) -> bool:
    return ord(char) >= FIRST_CODE


#: A character as another process can read it: itself, or the glyph_char arguments of a glyph code.
PortableChar = str | list[Any]


def portable_chars(chars: Iterable[str]) -> list[PortableChar]:
    """chars without this process's private values (JSON data): see restored_chars."""
    return [char if ord(char) < FIRST_CODE else list(_made[ord(char)]) for char in chars]


def restored_chars(portable: Iterable[PortableChar]) -> str:
    """The characters portable_chars described, each glyph code given in this process (with the
    same glyph, text and advance, so everything drawn with it measures and draws the same).
    Raises ValueError when the description is not one portable_chars gives (or names a font
    that is not registered)."""
    try:
        return "".join(
            char if isinstance(char, str) and len(char) == 1 else glyph_char(*_made_arguments(char))
            for char in portable
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a glyph description: {exc}") from exc


def _made_arguments(described: Any) -> tuple[str, int, str, float | None]:
    font, glyph, text, width = described
    if not (isinstance(font, str) and type(glyph) is int and isinstance(text, str)):
        raise TypeError("a glyph code's arguments are (font, glyph, text, width)")
    if width is not None and not isinstance(width, (int, float)):
        raise TypeError("a glyph code's width is a number")
    return font, glyph, text, None if width is None else float(width)
