"""The structure tree of one PDF, collected in reading order while its pages are drawn.

Every flowable that draws content carries a `Tag`: its role and the path of containers it
belongs in (a chapter's section, a list), each container named by a key. When a tagged
flowable is drawn, the containers on its path are opened (those of the previous one that
are not on it are closed), its element is made once (the pieces of a split paragraph share
one element, with content on two pages), and each stretch it draws gets the page's next
marked-content id.

The tree is not kept whole: an element gets its PDF object number when its first content
is drawn (its containers first), a closed container is complete and is written out with
everything under it once its pages are finished (exporter.pdf.tagging.objects), and what
the parent tree needs is kept as object numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from exporter.pdf.tagging.journal import Journal

#: (key, role) of one container on a tag's path: the key names it, so two flowables in
#: the same list share it.
Container = tuple[str, str]


@dataclass(eq=False, slots=True, weakref_slot=True)
class Element:
    """One structure element: its role, attributes, and kids in reading order."""

    role: str
    parent: Element | None = None
    lang: str = ""
    alt: str = ""
    kids: list[Element | MarkedContent | AnnotationRef] = field(default_factory=list)
    #: The text in reading order, for an element whose glyphs are drawn in another order
    #: (right-to-left lines are drawn in visual order).
    actual_text: str = ""
    #: Its PDF object number, given with its first content (0: none yet, so not written).
    number: int = 0
    #: Written to the file (its kids let go): nothing may be added to it any more.
    written: bool = False
    #: The journal whose part made it, and its place among what that part made
    #: (exporter.pdf.tagging.journal: how a recorded operation names it).
    made_by: object = field(default=None, repr=False)
    local: int = -1

    def child(self, role: str, lang: str = "", alt: str = "", actual_text: str = "") -> Element:
        made = Element(role, self, lang, alt, actual_text=actual_text)
        self.kids.append(made)
        return made


@dataclass(frozen=True, slots=True)
class MarkedContent:
    """A marked-content sequence: the page (0-based) and its id there."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class AnnotationRef:
    """A link annotation (by its PDF object number) that belongs to an element."""

    number: int


@dataclass(eq=False)
class Tag:
    """What a flowable is in the structure: its role under the containers of its path.

    `list_item` makes it an LI whose bullet (when drawn) is the Lbl and the rest the LBody
    (with `label` False, a bullet that says nothing, •, is an artifact);
    `within` are roles of elements of its own between its path and it (a contents row is
    an LI holding an LBody holding the Link).
    """

    role: str
    path: tuple[Container, ...] = ()
    within: tuple[str, ...] = ()
    lang: str = ""
    alt: str = ""
    list_item: bool = False
    label: bool = True
    element: Element | None = None


#: One entry of the parent tree: a page's key with its elements' numbers by marked-content
#: id, or a link annotation's key with its element's number.
ParentEntry = tuple[int, int | list[int]]


class StructureTree:
    """The document's open elements, and where each page's marked content belongs.

    reserve gives the next free PDF object number (the document's own counter).
    """

    def __init__(self, lang: str, reserve: Callable[[], int]) -> None:
        self.lang = lang
        self.root = Element("Document")
        self._reserve = reserve
        self._open: list[tuple[str, Element]] = []
        self.page = 0
        #: The current page's marked content: its elements' numbers, by marked-content id.
        self._page_content: list[int] = []
        #: Parent-tree keys are given to annotations as they are made and to pages as they
        #: finish, so entries come in key order; those not yet written out wait here.
        self.next_key = 0
        self.entries: list[ParentEntry] = []
        #: The object number of each finished page.
        self.page_numbers: list[int] = []
        #: Containers closed since the last page finished: complete, to be written out.
        self.closed: list[Element] = []
        #: Told of every change while a part's drawing is recorded or replayed.
        self.journal: Journal | None = None

    @property
    def open_containers(self) -> list[tuple[str, Element]]:
        """The containers open now, outermost first, with their keys."""
        return self._open

    # Every change drawing makes to the tree goes through the methods below, which tell the
    # journal (exporter.pdf.tagging.journal) when a part's drawing is being recorded or replayed.

    def container(self, path: tuple[Container, ...]) -> Element:
        """The element path names (opening it, and closing what is not on it)."""
        if self.journal is not None:
            self.journal.note("K", path)
        return self._container(path)

    def _container(self, path: tuple[Container, ...]) -> Element:
        depth = 0
        while depth < min(len(path), len(self._open)) and self._open[depth][0] == path[depth][0]:
            depth += 1
        if depth < len(self._open):
            self.closed.append(self._open[depth][1])  # what is under it closes with it
            del self._open[depth:]
        parent = self._open[-1][1] if self._open else self.root
        for key, role in path[depth:]:
            parent = self._new(parent, role)
            self._open.append((key, parent))
        return parent

    def element_of(self, tag: Tag) -> Element:
        """tag's element, made under its path the first time a piece of it is drawn."""
        if tag.element is None:
            if self.journal is not None:
                self.journal.note("E", tag.path, tag.within, tag.role, tag.lang, tag.alt)
            parent = self._container(tag.path)
            for role in tag.within:
                parent = self._new(parent, role)
            tag.element = self._new(parent, tag.role, tag.lang, tag.alt)
        return tag.element

    def child(self, parent: Element, role: str, lang: str = "", alt: str = "", actual_text: str = "") -> Element:
        """A new element under parent, after its other kids."""
        if self.journal is not None:
            self.journal.note("C", self.journal.ref(parent), role, lang, alt, actual_text)
        return self._new(parent, role, lang, alt, actual_text)

    def item_part(self, item: Element, role: str) -> Element:
        """The Lbl or LBody of a list item (the label before the body, whichever is drawn first)."""
        for kid in item.kids:
            if isinstance(kid, Element) and kid.role == role:
                return kid
        if self.journal is not None:
            self.journal.note("I", self.journal.ref(item), role)
        made = Element(role, item)
        if role == "Lbl":
            item.kids.insert(0, made)
        else:
            item.kids.append(made)
        if self.journal is not None:
            self.journal.element_made(made)
        return made

    def describe(self, element: Element, actual_text: str, lang: str) -> None:
        """Give element its text in reading order and its language, where it has none yet."""
        text, language = element.actual_text or actual_text, element.lang or lang
        if (text, language) == (element.actual_text, element.lang):
            return
        if self.journal is not None:
            self.journal.note("D", self.journal.ref(element), actual_text, lang)
        element.actual_text, element.lang = text, language

    def _new(self, parent: Element, role: str, lang: str = "", alt: str = "", actual_text: str = "") -> Element:
        made = parent.child(role, lang, alt, actual_text)
        if self.journal is not None:
            self.journal.element_made(made)
        return made

    def current(self) -> Element:
        """The innermost open container (the document when none is open)."""
        return self._open[-1][1] if self._open else self.root

    def number_of(self, element: Element) -> int:
        """element's object number, given now (after its containers') if it has none."""
        if element.written:
            raise RuntimeError(f"content added to the {element.role} element after it was written")
        if not element.number:
            if element.parent is not None:
                self.number_of(element.parent)
            element.number = self._reserve()
        return element.number

    def new_content(self, element: Element) -> int:
        """The next marked-content id of the current page, given to element."""
        if self.journal is not None:
            self.journal.note("M", self.journal.ref(element))
        mcid = len(self._page_content)
        self._page_content.append(self.number_of(element))
        element.kids.append(MarkedContent(self.page, mcid))
        return mcid

    def replay(self, journal: Journal, operation: tuple[Any, ...]) -> None:
        """Do again an operation journal recorded (the elements it names are journal's).

        The two kinds a page does most, marked content and a tagged flowable's element, are
        done here directly (what new_content and element_of do, less the journal's note,
        which a replay does not keep): a replayed handbook does tens of thousands of each."""
        kind = operation[0]
        if kind == "M":
            element = journal.element(operation[1])
            mcid = len(self._page_content)
            self._page_content.append(self.number_of(element))
            element.kids.append(MarkedContent(self.page, mcid))
        elif kind == "E":
            _, path, within, role, lang, alt = operation
            parent = self._container(path)
            for outer_role in within:
                parent = self._new(parent, outer_role)
            self._new(parent, role, lang, alt)
        elif kind == "K":
            self.container(operation[1])
        elif kind == "C":
            _, parent, role, lang, alt, actual_text = operation
            self.child(journal.element(parent), role, lang, alt, actual_text)
        elif kind == "I":
            self.item_part(journal.element(operation[1]), operation[2])
        elif kind == "D":
            self.describe(journal.element(operation[1]), operation[2], operation[3])
        elif kind == "M":
            self.new_content(journal.element(operation[1]))
        else:
            raise ValueError(f"unknown structure operation {kind!r}")

    def add_annotation(self, element: Element, number: int) -> int:
        """Record the link annotation numbered number as element's kid; return its parent-tree key."""
        key = self.next_key
        self.next_key += 1
        self.entries.append((key, self.number_of(element)))
        element.kids.append(AnnotationRef(number))
        return key

    def page_finished(self, number: int) -> int:
        """The finished page's (object number number) parent-tree key; the next page starts."""
        key = self.next_key
        self.next_key += 1
        self.entries.append((key, self._page_content))
        self.page_numbers.append(number)
        self.page += 1
        self._page_content = []
        return key
