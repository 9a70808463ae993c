"""Tagged PDF (PDF/UA-1): a structure tree collected while the pages are drawn, written at save.

ReportLab writes no tags. `structure` holds the tree (elements, marked-content ids, link
annotations), `marking` is what drawing code calls (content and artifacts around what it
draws, the label and body of a list item), `writing` puts the tree, the parent tree, the
language, the XMP metadata and the catalogue's accessibility entries into the file.
"""
