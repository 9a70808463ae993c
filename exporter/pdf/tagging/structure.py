"""The structure tree of one PDF, collected in reading order while its pages are drawn.

Every flowable that draws content carries a `Tag`: its role and the path of containers it
belongs in (a chapter's section, a list), each container named by a key. When a tagged
flowable is drawn, the containers on its path are opened (those of the previous one that
are not on it are closed), its element is made once (the pieces of a split paragraph share
one element, with content on two pages), and each stretch it draws gets the page's next
marked-content id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: (key, role) of one container on a tag's path: the key names it, so two flowables in
#: the same list share it.
Container = tuple[str, str]


@dataclass(eq=False, slots=True)
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

    def child(self, role: str, lang: str = "", alt: str = "", actual_text: str = "") -> Element:
        made = Element(role, self, lang, alt, actual_text=actual_text)
        self.kids.append(made)
        return made


@dataclass(frozen=True, slots=True)
class MarkedContent:
    """A marked-content sequence: the page (0-based) and its id there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class AnnotationRef:
    """A link annotation (by its name in ReportLab's document) that belongs to an element."""

    name: str
    key: int


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


class StructureTree:
    """The document's elements, and where each page's marked content belongs."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.root = Element("Document")
        self._open: list[tuple[str, Element]] = []
        self.page = 0
        #: Per page (0-based): the element each marked-content id belongs to, by id.
        self.page_contents: list[list[Element]] = [[]]
        #: Parent-tree key of each annotation, and of each page (assigned as it finishes).
        self.next_key = 0
        self.page_keys: list[int] = []
        #: Each finished page's object name in ReportLab's document.
        self.page_names: list[str] = []
        self.annotations: list[tuple[int, Element]] = []

    def container(self, path: tuple[Container, ...]) -> Element:
        """The element path names (opening it, and closing what is not on it)."""
        depth = 0
        while depth < min(len(path), len(self._open)) and self._open[depth][0] == path[depth][0]:
            depth += 1
        del self._open[depth:]
        parent = self._open[-1][1] if self._open else self.root
        for key, role in path[depth:]:
            parent = parent.child(role)
            self._open.append((key, parent))
        return parent

    def element_of(self, tag: Tag) -> Element:
        """tag's element, made under its path the first time a piece of it is drawn."""
        if tag.element is None:
            parent = self.container(tag.path)
            for role in tag.within:
                parent = parent.child(role)
            tag.element = parent.child(tag.role, tag.lang, tag.alt)
        return tag.element

    def current(self) -> Element:
        """The innermost open container (the document when none is open)."""
        return self._open[-1][1] if self._open else self.root

    def new_content(self, element: Element) -> int:
        """The next marked-content id of the current page, given to element."""
        contents = self.page_contents[self.page]
        mcid = len(contents)
        contents.append(element)
        element.kids.append(MarkedContent(self.page, mcid))
        return mcid

    def add_annotation(self, element: Element, name: str) -> int:
        """Record a link annotation as element's kid; return its parent-tree key."""
        key = self.next_key
        self.next_key += 1
        element.kids.append(AnnotationRef(name, key))
        self.annotations.append((key, element))
        return key

    def page_finished(self, name: str) -> int:
        """The finished page's parent-tree key; the next page starts."""
        key = self.next_key
        self.next_key += 1
        self.page_keys.append(key)
        self.page_names.append(name)
        self.page += 1
        self.page_contents.append([])
        return key
