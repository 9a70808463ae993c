"""Make the text layer of emoji icons copyable: ToUnicode entries as UTF-16, as PDF requires.

ReportLab writes each glyph's Unicode value as `<%04X>`, which for a character beyond the
Basic Multilingual Plane (every category emoji: 🔧 is U+1F527) gives five hex digits — not
valid UTF-16, so readers drop the icon from extracted or copied text and pypdf warns.
"""

from __future__ import annotations

from functools import lru_cache


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


@lru_cache(maxsize=1)
def install_utf16_to_unicode_cmap() -> None:
    """Replace ReportLab's ToUnicode CMap writer with one that encodes every code point in UTF-16."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        cmap: str = original(fontname, subset)
        if all(code <= 0xFFFF for code in subset):
            return cmap
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                cmap = cmap.replace(f"\n<{index:02X}> <{code:04X}>\n", f"\n<{index:02X}> <{_utf16_hex(code)}>\n", 1)
        return cmap

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
