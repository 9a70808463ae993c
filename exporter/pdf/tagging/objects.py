"""A tagged document's structure objects, written out as soon as they are complete.

A large handbook has over a million structure elements. Registered one by one with
ReportLab's document (a name, an object and three table entries each) and written at save
time, they held hundreds of megabytes until the end. Here each closed part of the tree is
formatted once the pages it is drawn on are finished, with the object numbers its elements
were given when their content was drawn, and kept in a nameless temporary file; so are the
parent tree's entries. At save, exporter.pdf.pages.saving copies the file into the PDF after
ReportLab's own objects, and takes each one's place from `places` for the cross-reference table.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from exporter.pdf.pages.object_bytes import text_string
from exporter.pdf.tagging.structure import AnnotationRef, Element, MarkedContent, StructureTree

#: Up to this many bytes a spool stays in memory (a handout, a course pack); beyond, a file.
_IN_MEMORY = 4 << 20
_CHUNK = 1 << 20


#: A table of object places grows by this many entries at a time (a megabyte). Growing it by
#: half its size made a transient copy of half a table near a large handbook's peak (at
#: 10,000 techniques the table holds well over a million places).
_GROWTH = 1 << 17


def make_room(places: array[int], number: int) -> None:
    """Make places long enough to hold an entry for object number."""
    missing = number + 1 - len(places)
    if missing > 0:
        places.frombytes(bytes(8 * max(missing, _GROWTH)))


def _spool(folder: Path | None) -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, dir=None if folder is None else str(folder))


class StructureObjects:
    """The structure elements, StructTreeRoot and parent tree of one document, as PDF objects
    in a spool; `places` says where each is in it."""

    def __init__(self, document: Any, folder: Path | None) -> None:
        self._document = document
        self._objects = _spool(folder)
        self._pending: list[bytes] = []
        self._end = 0
        self._entries = _spool(folder)
        self._any_entries = False
        #: Per object number: -(1 + its offset in the spool) for these objects, 0 for others;
        #: saving puts the others' places in the file (1 + offset) beside them, in one table.
        self.places = array("q")
        self.root_number = 0

    def reserve(self) -> int:
        """The document's next object number, for one of these objects."""
        document = self._document
        document.objectcounter += 1
        number: int = document.objectcounter
        return number

    def write_closed(self, tree: StructureTree) -> None:
        """Write the containers closed since the last page, and the parent-tree entries so far
        (call once a page is finished: every page they are drawn on has its number)."""
        closed, tree.closed = tree.closed, []
        for element in closed:
            self._write_tree(element, tree.page_numbers)
        self._flush()
        self._write_entries(tree)

    def finish(self, tree: StructureTree) -> int:
        """Write what is left: the document element and what is still open under it, the
        parent tree and the StructTreeRoot; return the StructTreeRoot's number."""
        tree_root = self.reserve()
        self.root_number = tree_root
        tree.number_of(tree.root)
        tree.closed.append(tree.root)
        self.write_closed(tree)
        parent_tree = self.reserve()
        self._start(parent_tree)
        self._write(b"<< /Nums [ ")
        self._entries.seek(0)
        while chunk := self._entries.read(_CHUNK):
            self._write(chunk)
            self._flush()  # a large parent tree is not held in memory whole
        self._entries.close()
        self._write(b" ] >>\nendobj\n")
        self._start(tree_root)
        self._write(
            b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>\nendobj\n"
            % (tree.root.number, parent_tree, tree.next_key)
        )
        self._flush()
        return tree_root

    def copy_to(self, write: Callable[[bytes], Any]) -> None:
        """Write the spooled objects out."""
        self._objects.seek(0)
        while chunk := self._objects.read(_CHUNK):
            write(chunk)

    def close(self) -> None:
        self._objects.close()
        self._entries.close()

    def _start(self, number: int) -> None:
        """Begin object number at the spool's end."""
        make_room(self.places, number)
        self.places[number] = -(self._end + 1)
        self._pending.append(b"%d 0 obj\n" % number)
        self._end += len(self._pending[-1])

    def _write(self, data: bytes) -> None:
        self._pending.append(data)
        self._end += len(data)

    def _flush(self) -> None:
        """Write what _write collected (one write per finished page, not two per object)."""
        if self._pending:
            self._objects.write(b"".join(self._pending))
            self._pending.clear()

    def _write_tree(self, top: Element, pages: list[int]) -> None:
        """Write top and every element under it that has content, and let them go."""
        stack = [top]
        while stack:
            element = stack.pop()
            if not element.number or element.written:
                continue
            self._start(element.number)
            self._write(self._formatted(element, pages))
            stack += [kid for kid in reversed(element.kids) if isinstance(kid, Element)]
            element.written = True
        # Only after all are written: a kid's entry needs its number, not its kids.
        stack = [top]
        while stack:
            element = stack.pop()
            stack += [kid for kid in element.kids if isinstance(kid, Element)]
            element.kids = []
            element.parent = None

    def _formatted(self, element: Element, pages: list[int]) -> bytes:
        parent = element.parent.number if element.parent is not None else self.root_number
        first_page = -1
        kids: list[bytes] = []
        for kid in element.kids:
            if type(kid) is MarkedContent:
                if first_page < 0:
                    first_page = kid.page
                if kid.page == first_page:
                    kids.append(b"%d" % kid.mcid)
                else:
                    kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (pages[kid.page], kid.mcid))
            elif type(kid) is AnnotationRef:
                kids.append(b"<< /Type /OBJR /Obj %d 0 R >>" % kid.number)
            elif isinstance(kid, Element) and kid.number:
                kids.append(b"%d 0 R" % kid.number)
        head = b"<< /Type /StructElem /S /%s /P %d 0 R " % (element.role.encode("ascii"), parent)
        if first_page >= 0:
            head += b"/Pg %d 0 R " % pages[first_page]
        tail = b""
        if element.lang:
            tail += b" /Lang " + text_string(element.lang, self._document)
        if element.alt:
            tail += b" /Alt " + text_string(element.alt, self._document)
        if element.actual_text:
            tail += b" /ActualText " + text_string(element.actual_text, self._document)
        return head + b"/K [ " + b" ".join(kids) + b" ]" + tail + b" >>\nendobj\n"

    def _write_entries(self, tree: StructureTree) -> None:
        entries, tree.entries = tree.entries, []
        pieces: list[bytes] = []
        for key, target in entries:
            if isinstance(target, int):
                pieces.append(b"%d %d 0 R" % (key, target))
            else:
                pieces.append(b"%d [ %s ]" % (key, b" ".join(b"%d 0 R" % number for number in target)))
        if not pieces:
            return
        self._entries.write((b"\n" if self._any_entries else b"") + b"\n".join(pieces))
        self._any_entries = True
