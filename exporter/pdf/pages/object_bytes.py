"""Page objects formatted with the bytes ReportLab gives them, in fewer calls.

ReportLab formats a page through a generic chain: the page makes a PDFDictionary of its
attributes, which formats each key through PDFName (escaping every character) and each value
through pdfdoc.format, which dispatches on the type; the resources are a second dictionary
made the same way. A 1,200-page handbook spends a fifth of a second there, and more when its
pages are replayed and saving is most of the work. Here the same dictionaries are formatted
directly: keys are known names, references and numbers are written at once, and anything else
goes through pdfdoc.format as before. tests/pdf/test_object_bytes.py compares the two on whole
documents.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import isSeq
from reportlab.pdfbase import pdfdoc

#: Short text strings as formatted (languages, titles: the same few come back often; a long
#: text hardly repeats and is not kept), at most TEXTS_KEPT of them.
_TEXTS: dict[str, bytes] = {}
TEXTS_KEPT = 2048
TEXT_KEPT_LENGTH = 80
#: Each key as PDFName writes it (a page has a dozen keys, the same on every page).
_NAMES: dict[str, bytes] = {}


def _name(key: str) -> bytes:
    found = _NAMES.get(key)
    if found is None:
        found = _NAMES[key] = pdfdoc.format(pdfdoc.PDFName(key), None)
    return found


def text_string(text: str, document: Any) -> bytes:
    """pdfdoc.format(PDFString(text), document): a PDF text string as ReportLab writes it."""
    found = _TEXTS.get(text)
    if found is None:
        found = bytes(pdfdoc.format(pdfdoc.PDFString(text), document))
        if len(text) <= TEXT_KEPT_LENGTH:
            if len(_TEXTS) >= TEXTS_KEPT:
                _TEXTS.clear()
            _TEXTS[text] = found
    return found


def value_bytes(value: Any, document: Any) -> bytes:
    """pdfdoc.format(value, document), with the common cases written directly."""
    kind = type(value)
    if kind is pdfdoc.PDFObjectReference:
        number, version = document.idToObjectNumberAndVersion[value.name]
        return b"%d %d R" % (number, version)
    if kind is int or kind is float:
        return str(fp_str(value)).encode("ascii")
    if kind is pdfdoc.PDFDictionary and _one_line(value):
        return dictionary_bytes(value.dict, document, ordered=isinstance(value.dict, OrderedDict))
    if kind is pdfdoc.PDFArray and _one_line(value):
        return _array_bytes(value.sequence, document)
    if kind is pdfdoc.PDFResourceDictionary:
        return _resources_bytes(value, document)
    return bytes(pdfdoc.format(value, document))


def _one_line(value: Any) -> bool:
    """Formatted with a break every few entries, not one entry per line (ReportLab's default)."""
    return not ((value.multiline and rl_config.pdfMultiLine) or value.multiline == "forced")


def dictionary_bytes(entries: dict[str, Any], document: Any, ordered: bool = False) -> bytes:
    """PDFDictionary(entries).format(document): keys sorted (unless ordered), a break after
    every sixth entry."""
    keys = list(entries) if ordered else sorted(entries)
    lines = [_name(key) + b" " + value_bytes(entries[key], document) for key in keys]
    for index in reversed(range(6, len(lines), 6)):
        lines.insert(index, b"\n ")
    return b"<<\n" + b" ".join(lines) + b"\n>>"


def _array_bytes(sequence: list[Any], document: Any) -> bytes:
    items = [value_bytes(item, document) for item in sequence]
    if len(items) > 10:
        for index in reversed(range(10, len(items), 10)):
            items.insert(index, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def _resources_bytes(resources: Any, document: Any) -> bytes:
    """PDFResourceDictionary.format: its non-empty dictionaries and its ProcSet."""
    entries: dict[str, Any] = {}
    for name in resources.dict_attributes:
        value = getattr(resources, name)
        if isinstance(value, dict):
            if value:
                entries[name] = pdfdoc.PDFDictionary(value)
        else:
            entries[name] = value
    procs = resources.ProcSet
    if isSeq(procs):
        if procs:
            entries["ProcSet"] = pdfdoc.PDFArray(procs)
    else:
        entries["ProcSet"] = procs
    return dictionary_bytes(entries, document)


def page_bytes(page: Any, document: Any) -> bytes:
    """PDFPage.format(document) (PDFCatalog.format): check_format, then the page's attributes
    that are set, the ones ReportLab writes as references made references."""
    page.check_format(document)
    entries: dict[str, Any] = {}
    for key, default in page.__Defaults__.items():
        value = getattr(page, key, default)
        if value is not None:
            entries[key] = value
    for key in page.__NoDefault__:
        value = getattr(page, key, None)
        if value is not None:
            entries[key] = value
    for key in page.__Refs__:
        if key in entries:
            entries[key] = document.Reference(entries[key])
    return dictionary_bytes(entries, document)
