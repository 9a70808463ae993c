"""The structure tree and the accessibility entries, written into the document at save time.

finish_page runs as each page is finished (its parent-tree key, tab order); finish_document
once the last page is drawn: the structure elements, the parent tree (which element each
page's marked content and each link belongs to), the catalogue's MarkInfo, StructTreeRoot
and Metadata (XMP with the title, language, dates and the PDF/UA part).
"""

from __future__ import annotations

import time
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFStream
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.tagging.marking import tree_of
from exporter.pdf.tagging.structure import Element, MarkedContent, StructureTree

_PAGE_KEYS = ["StructParents", "Tabs"]


def finish_page(canv: Canvas) -> None:
    """The page canv has just finished: its parent-tree key, and links in structure order."""
    tree = tree_of(canv)
    if tree is None:
        return
    page = canv._doc.Pages.pages[-1]
    key = tree.page_finished(page.__InternalName__)
    page.__NoDefault__ = [*page.__NoDefault__, *_PAGE_KEYS]
    page.StructParents = key
    page.Tabs = PDFName("S") if page.Annots else None


class _StructElem(PDFObject):  # type: ignore[misc]
    """One structure element, formatted from the tree when the file is written."""

    __RefOnly__ = 1

    def __init__(self, element: Element, names: dict[int, str], pages: list[str]) -> None:
        self.element = element
        self.names = names
        self.pages = pages

    def format(self, document: Any) -> bytes:
        element = self.element
        numbers = document.idToObjectNumberAndVersion

        def ref(name: str) -> bytes:
            return b"%d 0 R" % numbers[name][0]

        parent = self.names[id(element.parent)] if element.parent is not None else "StructTreeRoot"
        first_page = next((kid.page for kid in element.kids if isinstance(kid, MarkedContent)), None)
        kids: list[bytes] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                if id(kid) in self.names:
                    kids.append(ref(self.names[id(kid)]))
            elif isinstance(kid, MarkedContent):
                if kid.page == first_page:
                    kids.append(b"%d" % kid.mcid)
                else:
                    kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (ref(self.pages[kid.page]), kid.mcid))
            else:
                kids.append(b"<< /Type /OBJR /Obj %s >>" % ref(kid.name))
        parts = [b"<< /Type /StructElem /S /%s /P %s" % (element.role.encode("ascii"), ref(parent))]
        if first_page is not None:
            parts.append(b"/Pg " + ref(self.pages[first_page]))
        parts.append(b"/K [ " + b" ".join(kids) + b" ]")
        for key, text in ((b"Lang", element.lang), (b"Alt", element.alt), (b"ActualText", element.actual_text)):
            if text:
                parts.append(b"/%s %s" % (key, bytes(pdfdoc.format(pdfdoc.PDFString(text), document))))
        return b" ".join(parts) + b" >>"

    #: How exporter.pdf.pages.saving writes it straight out.
    formatted_object = format


class _ParentTree(PDFObject):  # type: ignore[misc]
    """The parent tree's one node: each key with the element (or, for a page, the elements by
    marked-content id) it maps to."""

    __RefOnly__ = 1

    def __init__(self, entries: list[tuple[int, str | list[str]]]) -> None:
        self.entries = entries

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        pieces: list[bytes] = []
        for key, target in self.entries:
            if isinstance(target, str):
                pieces.append(b"%d %d 0 R" % (key, numbers[target][0]))
            else:
                pieces.append(b"%d [ %s ]" % (key, b" ".join(b"%d 0 R" % numbers[name][0] for name in target)))
        return b"<< /Nums [ " + b"\n".join(pieces) + b" ] >>"


def _register(doc: Any, obj: PDFObject, name: str) -> None:
    """doc.Reference(obj, name) for a new object and name, without its checks (a large
    handbook has a hundred thousand structure elements)."""
    doc.objectcounter += 1
    doc.idToObjectNumberAndVersion[name] = (doc.objectcounter, 0)
    doc.numberToId[doc.objectcounter] = name
    doc.idToObject[name] = obj
    obj.__InternalName__ = name


def _has_content(element: Element, memo: dict[int, bool]) -> bool:
    # Every kid is visited (no short cut): the memo is what the walk in _elements reads.
    found = False
    for kid in element.kids:
        found = (_has_content(kid, memo) if isinstance(kid, Element) else True) or found
    memo[id(element)] = found
    return found


def _elements(root: Element) -> list[Element]:
    """Every element with content, in reading order (depth first)."""
    memo: dict[int, bool] = {}
    _has_content(root, memo)
    found: list[Element] = []
    stack = [root]
    while stack:
        element = stack.pop()
        found.append(element)
        stack += [kid for kid in reversed(element.kids) if isinstance(kid, Element) and memo.get(id(kid))]
    return found


def finish_document(canv: Canvas, title: str) -> None:
    """Write the structure tree, the parent tree and the catalogue's accessibility entries."""
    tree = tree_of(canv)
    if tree is None:
        return
    doc = canv._doc
    elements = _elements(tree.root)
    names = {id(element): f"StructElem{index}" for index, element in enumerate(elements)}
    for element in elements:
        _register(doc, _StructElem(element, names, tree.page_names), names[id(element)])
    parent_tree = doc.Reference(_ParentTree(_parent_entries(tree, names)), "ParentTree")
    root = PDFDictionary(
        {
            "Type": PDFName("StructTreeRoot"),
            "K": PDFObjectReference(names[id(tree.root)]),
            "ParentTree": parent_tree,
            "ParentTreeNextKey": tree.next_key,
        }
    )
    catalog = doc.Catalog
    catalog.StructTreeRoot = doc.Reference(root, "StructTreeRoot")
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = doc.Reference(_metadata(canv, title, tree.lang), "Metadata")


def _parent_entries(tree: StructureTree, names: dict[int, str]) -> list[tuple[int, str | list[str]]]:
    """(key, what it maps to) in key order: a page's elements by marked-content id, or a link's element."""
    entries: list[tuple[int, str | list[str]]] = [
        (key, [names[id(element)] for element in tree.page_contents[page]]) for page, key in enumerate(tree.page_keys)
    ]
    entries += [(key, names[id(element)]) for key, element in tree.annotations]
    return sorted(entries, key=lambda entry: entry[0])


def _metadata(canv: Canvas, title: str, lang: str) -> PDFStream:
    """XMP: title, language, author, dates (the Info dictionary's), producer, PDF/UA-1."""
    info = canv._doc.info
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", (*canv._doc._timeStamp.YMDhms, 0, 0, 0))
    xml = _XMP.format(
        title=escape(title),
        lang=escape(lang),
        author=escape(str(info.author or "")),
        subject=escape(str(info.subject or "")),
        creator=escape(str(info.creator or "")),
        producer=escape(str(info.producer or "")),
        date=stamp,
    )
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), xml.encode("utf-8"))
    stream.filters = []
    return stream


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmp:CreatorTool>{creator}</xmp:CreatorTool>
<pdf:Producer>{producer}</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
