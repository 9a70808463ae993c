"""What drawing one part of a document did to its structure tree, kept to be done again.

A handbook chapter drawn once can be replayed in a later build without being laid out or drawn
(exporter.pdf.pages.replay): its pages' content streams are kept, and so is every change its
drawing made to the structure tree, as a list of operations in the order they were made. Doing
them again on the live tree, in that order and interleaved with the page's other operations,
gives every element the object number and the marked-content ids a fresh drawing would give.

An operation names an element by a number (`Ref`): one the part made itself (0, 1, ... in the
order they were made, which replaying repeats), the document element (-1), a container that
was open when the part began (-2 - its depth), or one of the elements the writer made before
any part and hands every journal (`outer`: a pocket card's section, OUTER - its index). A part
that reaches any other element cannot be replayed: its journal is spoiled.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

#: An element (exporter.pdf.tagging.structure.Element) and its tree, as the journal sees them.
Element = Any
Tree = Any
Ref = int
#: One operation: its kind (a letter, see StructureTree) and its arguments, plain data only.
Operation = tuple[Any, ...]
ROOT: Ref = -1
OUTER: Ref = -1000


class OuterElements:
    """The elements a writer made before any part (a pocket card's sections), with the number
    each is named by: made once per document and shared by every part's journal. (Each page's
    journal once indexed them all itself, and every element a page made keeps its journal:
    memory grew with pages times cards, 600 MB for the cards of 2,000 techniques.)"""

    def __init__(self, elements: Sequence[Element] = ()) -> None:
        self.elements = elements
        self.refs: dict[int, Ref] = {id(element): OUTER - index for index, element in enumerate(elements)}


_NO_OUTER = OuterElements()


class Journal:
    """The operations made on one tree while a part is drawn (recording), or the elements made
    while they are done again (replaying: nothing is recorded)."""

    def __init__(self, tree: Tree, recording: bool, outer: OuterElements = _NO_OUTER) -> None:
        self.tree = tree
        self.recording = recording
        self.outer = outer
        self.operations: list[Operation] = []
        #: Replaying, the elements made so far, weakly: an element written out is let go (a part
        #: of a thousand pages would otherwise hold every element it made until its end).
        self.made: list[weakref.ref[Element]] = []
        self._count = 0
        self.spoiled = False

    def note(self, *operation: Any) -> None:
        if self.recording:
            self.operations.append(operation)

    def element_made(self, element: Element) -> None:
        element.made_by, element.local = self, self._count
        self._count += 1
        if not self.recording:
            self.made.append(weakref.ref(element))

    def ref(self, element: Element) -> Ref:
        """The number an operation names element by (spoiling the journal if it has none)."""
        if element.made_by is self:
            local: Ref = element.local
            return local
        found: Ref | None = self.outer.refs.get(id(element))
        if found is not None:
            return found
        if element is self.tree.root:
            return ROOT
        for depth, (_, opened) in enumerate(self.tree.open_containers):
            if opened is element:
                return -2 - depth
        self.spoiled = True
        return ROOT

    def element(self, ref: Ref) -> Element:
        """The live element ref names."""
        if ref >= 0:
            made = self.made[ref]()
            if made is None:
                raise ValueError("a recorded operation names an element already written out")
            return made
        if ref <= OUTER:
            return self.outer.elements[OUTER - ref]
        if ref == ROOT:
            return self.tree.root
        return self.tree.open_containers[-2 - ref][1]

    def replay(self, operation: Operation) -> None:
        """Do a recorded tree operation again on the live tree (StructureTree.replay)."""
        self.tree.replay(self, operation)
