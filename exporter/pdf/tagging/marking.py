"""What drawing code calls so that everything it draws is tagged content or an artifact.

A canvas being tagged carries its StructureTree (start_tagging). `tagged` wraps what one
flowable draws in marked content belonging to its element; `artifact` wraps page furniture
(running heads, rules, leaders, backgrounds). Without a tree on the canvas (a form drawn for
measuring, a document that is not tagged) every helper draws untouched. Marked content never
nests: what a tagged flowable draws through another tagged flowable (a wrapped row's
paragraph) belongs to the outer one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.glyphs.glyphcodes import written
from exporter.pdf.tagging.journal import Journal
from exporter.pdf.tagging.languages import language_of
from exporter.pdf.tagging.objects import StructureObjects
from exporter.pdf.tagging.structure import Container, Element, StructureTree, Tag

_TREE = "_exporter_structure"
_OBJECTS = "_exporter_structure_objects"
#: The marked content open on a canvas: (its element, the list item it is part of or None,
#: whether that item's bullet is its label); its element is None inside an artifact.
_OPEN = "_exporter_open_content"


def start_tagging(canv: Canvas, lang: str) -> StructureTree:
    """Give canv a structure tree: from now on what it draws is tagged. The tree's complete
    parts wait in a temporary file beside the output until it is saved (stop_tagging closes it)."""
    _install_bullet_hook()
    filename = canv._filename
    objects = StructureObjects(canv._doc, Path(filename).parent if isinstance(filename, (str, Path)) else None)
    tree = StructureTree(lang, objects.reserve)
    setattr(canv, _TREE, tree)
    setattr(canv, _OBJECTS, objects)
    setattr(canv, _OPEN, None)
    return tree


def stop_tagging(canv: Canvas) -> None:
    """Let go of the temporary file of canv's structure (once saved, or when the build stops)."""
    objects = structure_objects_of(canv)
    if objects is not None:
        objects.close()


def tree_of(canv: Canvas) -> StructureTree | None:
    tree: StructureTree | None = getattr(canv, _TREE, None)
    return tree


def recording(canv: Canvas) -> Journal | None:
    """The journal of the part whose drawing on canv is being recorded (exporter.pdf.pages.replay)."""
    tree = tree_of(canv)
    journal = None if tree is None else tree.journal
    return journal if journal is not None and journal.recording else None


def structure_objects_of(canv: Canvas) -> StructureObjects | None:
    objects: StructureObjects | None = getattr(canv, _OBJECTS, None)
    return objects


def _begin(canv: Canvas, tree: StructureTree, element: Element) -> None:
    mcid = tree.new_content(element)
    canv._code.append(f"/{element.role} <</MCID {mcid}>> BDC")


@contextmanager
def content(canv: Canvas, element: Element | None) -> Iterator[None]:
    """What is drawn inside belongs to element (one marked-content sequence)."""
    tree = tree_of(canv)
    if tree is None or element is None or getattr(canv, _OPEN, None) is not None:
        yield
        return
    _begin(canv, tree, element)
    setattr(canv, _OPEN, (element, None, True))
    try:
        yield
    finally:
        canv._code.append("EMC")
        setattr(canv, _OPEN, None)


@contextmanager
def artifact(canv: Canvas) -> Iterator[None]:
    """What is drawn inside is page furniture, not content (inside a flowable's content, its
    marked content pauses and goes on with a new id after it)."""
    tree = tree_of(canv)
    state = getattr(canv, _OPEN, None)
    if tree is None or (state is not None and state[0] is None):
        yield
        return
    if state is not None:
        canv._code.append("EMC")
    canv._code.append("/Artifact BMC")
    setattr(canv, _OPEN, (None, None, True))
    try:
        yield
    finally:
        canv._code.append("EMC")
        setattr(canv, _OPEN, state)
        if state is not None:
            _begin(canv, tree, state[0])


@contextmanager
def tagged(
    canv: Canvas, tag: Tag | None, bullet_first: bool = False, actual_text: str = "", text: str = ""
) -> Iterator[None]:
    """What a flowable draws, as its tag's element (a plain paragraph where it has no tag).

    A list item's drawing starts as its label when bullet_first (its bullet is drawn before
    its text), else as its body; the bullet hook switches between the two. actual_text is
    the text in reading order when the glyphs are drawn in another (right-to-left lines);
    text, what the flowable says, gives its element a language of its own when its letters
    are another language's (exporter.pdf.tagging.languages).
    """
    tree = tree_of(canv)
    if tree is None or getattr(canv, _OPEN, None) is not None:
        yield
        return
    if tag is None:
        tag = Tag("P")
        tag.element = tree.child(tree.current(), "P", language_of(text, tree.lang), actual_text=actual_text)
    if tag.role == "Artifact":
        with artifact(canv):
            yield
        return
    element = tree.element_of(tag)
    if actual_text or text:
        holder = tree.item_part(element, "LBody") if tag.list_item else element
        tree.describe(holder, actual_text, language_of(text, tree.lang))
    if not tag.list_item:
        with content(canv, element):
            yield
        return
    setattr(canv, _OPEN, _begin_part(canv, tree, element, "Lbl" if bullet_first else "LBody", tag.label))
    try:
        yield
    finally:
        canv._code.append("EMC")
        setattr(canv, _OPEN, None)


def _begin_part(
    canv: Canvas, tree: StructureTree, item: Element, role: str, label: bool
) -> tuple[Element | None, Element, bool]:
    """Begin the item's label or body; a bullet that is not a label (•) is an artifact."""
    if role == "Lbl" and not label:
        canv._code.append("/Artifact BMC")
        return (None, item, label)
    part = tree.item_part(item, role)
    _begin(canv, tree, part)
    return (part, item, label)


def switch_item_part(canv: Canvas, role: str) -> None:
    """Inside a list item's drawing: what follows is its label ("Lbl") or its body ("LBody")."""
    tree = tree_of(canv)
    state = getattr(canv, _OPEN, None)
    if tree is None or state is None or state[1] is None:
        return
    current = state[0]
    if (current.role if current is not None else "Lbl") == role:
        return
    canv._code.append("EMC")
    setattr(canv, _OPEN, _begin_part(canv, tree, state[1], role, state[2]))


def link_annotation(canv: Canvas, element: Element | None, description: str) -> None:
    """The link annotation just added to the page belongs to element (a Link), with a description."""
    tree = tree_of(canv)
    if tree is None or element is None or not canv._annotationrefs:
        return
    if tree.journal is not None:
        tree.journal.note("L", tree.journal.ref(element), description)
    name = canv._annotationrefs[-1].name
    annotation = canv._doc.idToObject[name]
    annotation.struct_parent = tree.add_annotation(element, canv._doc.idToObjectNumberAndVersion[name][0])
    annotation.contents = description


def open_element(canv: Canvas) -> Element | None:
    """The element whose marked content is open on canv (None outside tagged content)."""
    state = getattr(canv, _OPEN, None)
    return None if state is None else state[0]


@lru_cache(maxsize=1)
def _install_bullet_hook() -> None:
    """ReportLab draws a paragraph's bullet before its text: after it, the item's body begins."""
    from reportlab.platypus import paragraph

    original = paragraph._drawBullet

    def draw_bullet(canvas: Any, *args: Any, **kwargs: Any) -> Any:
        offset = original(canvas, *args, **kwargs)
        switch_item_part(canvas, "LBody")
        return offset

    paragraph._drawBullet = draw_bullet


FlowableT = TypeVar("FlowableT")


def plain_text(flowable: Any) -> str:
    """What a paragraph says (its fragments' text)."""
    return "".join(getattr(frag, "text", "") for frag in getattr(flowable, "frags", None) or ())


def reading_order(flowable: Any) -> str:
    """A paragraph's text in reading order when its lines are drawn in another (it has
    right-to-left text), else ""."""
    logical = getattr(flowable, "_logical", None)
    if not logical:
        return ""
    # The fragments hold an emoji sequence as the glyph code that draws it: a private code
    # point, which a reader would read out (and whose value depends on the process).
    return " ".join(written("".join(getattr(frag, "text", "") for frag in logical)).split())


def with_tag(flowable: FlowableT, role: str, path: tuple[Container, ...] = (), **options: Any) -> FlowableT:
    """flowable, tagged as role under path (see Tag); returned for use in a list."""
    flowable.tag = Tag(role, path, **options)  # type: ignore[attr-defined]
    return flowable


def list_path(path: tuple[Container, ...], key: str) -> tuple[Container, ...]:
    """path with a list (L) named key at its end."""
    return (*path, (key, "L"))


def link_row(flowable: FlowableT, path: tuple[Container, ...]) -> FlowableT:
    """A row that links (a contents or index entry): a Link inside a list item of path's list."""
    return with_tag(flowable, "Link", path, within=("LI", "LBody"))
