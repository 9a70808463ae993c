"""Setting text in lines: bidi, shaping, words, line breaking, measuring and drawing runs."""

from __future__ import annotations


def forget_set_text() -> None:
    """Let go of what setting text remembers to set it again faster (shaped words, hyphenated
    words, measured widths, broken paragraphs). A long document does it once its pages and forms
    are drawn, before writing the file, which sets no text: at 10,000 techniques they hold tens
    of megabytes the writing would otherwise add to. Only caches: nothing drawn changes."""
    from exporter.pdf.lines import one_font, shaping, total_fit, words

    for cache in (
        shaping._shaped_texts,
        total_fit._word_items,
        total_fit._measured,
        total_fit._breaks_made,
        words._skeletons,
        words._offsets,
        one_font._set_before,
    ):
        cache.clear()
