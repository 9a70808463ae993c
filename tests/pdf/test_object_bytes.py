"""Page dictionaries are written with the bytes ReportLab's own formatting gives them (exporter
formats them itself, faster): compared page by page while whole handbooks are written, with
links, page-number forms, fonts of several scripts and structure keys on their pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfdoc

from exporter.content.techniques import read_library
from exporter.pdf.pages import object_bytes, saving
from exporter.writers.handbook import build_handbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "content", [ROOT / "content", ROOT / "tests/fixtures/libraries/he", ROOT / "tests/fixtures/libraries/emoji"]
)
def test_every_page_dictionary_has_reportlabs_bytes(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[bool] = []

    def checked_page_bytes(page: Any, document: Any) -> bytes:
        ours = object_bytes.page_bytes(page, document)
        theirs = bytes(pdfdoc.format(page, document, toplevel=1))  # check_format again changes nothing
        compared.append(ours == theirs)
        return ours

    monkeypatch.setattr(saving, "page_bytes", checked_page_bytes)
    library, _ = read_library(content)
    pages = build_handbook(library, tmp_path / "handbook.pdf", "a4")
    assert len(compared) == pages
    assert all(compared), f"{compared.count(False)} of {pages} pages differ from ReportLab's formatting"
    written = (tmp_path / "handbook.pdf").read_bytes()
    assert written.count(b"/Type /Page\n") == pages
    assert b"/Annots [" in written and b"/XObject <<" in written and b"/StructParents " in written
