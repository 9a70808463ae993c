"""Catalogue pages (the text layout of the published technique pages) -> technique YAML files.

Two halves with a record between them: *page parsing* (page_text -> page, with headings and
sections) turns one page file into a ParsedPage; *library editing* (techniques, library_file,
run) decides where each page goes, adds what the pages bring to library.yaml and writes the files.
Every page is read and checked before anything is written; a page that cannot be read is named
and the others still import.
"""

from exporter.importer.edit.command import run_import
from exporter.importer.edit.targets import technique_data
from exporter.importer.edit.yaml_text import to_yaml
from exporter.importer.parse.page import ParsedPage, import_page, parse_page, slugify
from exporter.importer.parse.page_text import clean_page_text, read_page_text

__all__ = [
    "ParsedPage",
    "clean_page_text",
    "import_page",
    "parse_page",
    "read_page_text",
    "run_import",
    "slugify",
    "technique_data",
    "to_yaml",
]
