"""The structure tree and the accessibility entries of a tagged document.

finish_page runs as each page is finished: its parent-tree key and tab order, and the parts
of the tree that are complete are written out (exporter.pdf.tagging.objects). finish_document
runs once the last page is drawn: the rest of the tree, the parent tree (which element each
page's marked content and each link belongs to), the catalogue's MarkInfo, StructTreeRoot
and Metadata (XMP with the title, language, dates and the PDF/UA part).
"""

from __future__ import annotations

import time
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObjectReference, PDFPage, PDFStream
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.tagging.marking import structure_objects_of, tree_of

#: A page's keys with the two of a tagged page: one list shared by every page (a handbook has 24,000).
_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


def finish_page(canv: Canvas) -> None:
    """The page canv has just finished: its parent-tree key, links in structure order, and
    the parts of the tree complete by now written out."""
    tree = tree_of(canv)
    objects = structure_objects_of(canv)
    if tree is None or objects is None:
        return
    page = canv._doc.Pages.pages[-1]
    key = tree.page_finished(canv._doc.idToObjectNumberAndVersion[page.__InternalName__][0])
    page.__NoDefault__ = _PAGE_KEYS
    page.StructParents = key
    page.Tabs = PDFName("S") if page.Annots else None
    objects.write_closed(tree)


def finish_document(canv: Canvas, title: str) -> None:
    """Write the rest of the structure tree, the parent tree and the catalogue's accessibility entries."""
    tree = tree_of(canv)
    objects = structure_objects_of(canv)
    if tree is None or objects is None:
        return
    document = canv._doc
    # Named for ReportLab's references, though written from the spool, not by ReportLab.
    document.idToObjectNumberAndVersion["StructTreeRoot"] = (objects.finish(tree), 0)
    catalog = document.Catalog
    catalog.StructTreeRoot = PDFObjectReference("StructTreeRoot")
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = document.Reference(_metadata(canv, title, tree.lang), "Metadata")


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
