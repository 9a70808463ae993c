"""Walking a tagged PDF as an assistive reader does: the content streams' marked content
(what is tagged, what is an artifact, what is neither) against the structure tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}


@dataclass
class Walk:
    """What one PDF's pages and structure tree hold."""

    untagged_text: int = 0
    #: (page index, mcid) of every marked-content sequence with an MCID in the pages.
    marked: set[tuple[int, int]] = field(default_factory=set)
    #: (page index, mcid) every structure element points at.
    referenced: set[tuple[int, int]] = field(default_factory=set)
    headings: list[int] = field(default_factory=list)
    figures_without_alt: int = 0
    link_annotations: set[int] = field(default_factory=set)
    linked_in_tree: set[int] = field(default_factory=set)
    #: (role, its text in reading order) of every leaf element with text.
    roles: list[str] = field(default_factory=list)


def _page_walk(reader: PdfReader, index: int, walk: Walk) -> None:
    from pypdf.generic import ContentStream

    page = reader.pages[index]
    stack: list[Any] = []
    contents = page.get_contents()
    if contents is None:
        return
    for operands, operator in ContentStream(contents, reader).operations:
        if operator in (b"BDC", b"BMC"):
            mcid = None
            if operator == b"BDC" and isinstance(operands[1], DictionaryObject):
                mcid = operands[1].get("/MCID")
            if mcid is not None:
                walk.marked.add((index, int(mcid)))
            stack.append(operands[0])
        elif operator == b"EMC":
            stack.pop()
        elif operator in TEXT_OPERATORS and not stack:
            walk.untagged_text += 1
        elif operator == b"Do" and not stack:
            walk.untagged_text += _form_text(page, str(operands[0]))
    for annotation in page.get("/Annots") or []:
        if annotation.get_object().get("/Subtype") == "/Link" and isinstance(annotation, IndirectObject):
            walk.link_annotations.add(
                annotation.indirect_reference.idnum if not isinstance(annotation, IndirectObject) else annotation.idnum
            )


def _form_text(page: Any, name: str) -> int:
    """How many text operators a form drawn outside marked content shows."""
    from pypdf.generic import ContentStream

    form = page["/Resources"]["/XObject"][name].get_object()
    return sum(1 for _, op in ContentStream(form, None).operations if op in TEXT_OPERATORS)


def walk_pdf(path: Path) -> Walk:
    reader = PdfReader(path)
    walk = Walk()
    page_index = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    for index in range(len(reader.pages)):
        _page_walk(reader, index, walk)
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    _element_walk(root["/K"], None, page_index, walk)
    return walk


def _element_walk(node: Any, page: int | None, page_index: dict[int, int], walk: Walk) -> None:
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            _element_walk(kid, page, page_index, walk)
        return
    if isinstance(node, NumberObject):
        assert page is not None
        walk.referenced.add((page, int(node)))
        return
    kind = node.get("/Type")
    if kind == "/MCR":
        walk.referenced.add((page_index[node.raw_get("/Pg").idnum], int(node["/MCID"])))
        return
    if kind == "/OBJR":
        walk.linked_in_tree.add(node.raw_get("/Obj").idnum)
        return
    role = str(node["/S"])[1:]
    walk.roles.append(role)
    if role[0] == "H" and role[1:].isdigit():
        walk.headings.append(int(role[1:]))
    if role == "Figure" and not node.get("/Alt"):
        walk.figures_without_alt += 1
    if "/Pg" in node:
        page = page_index[node.raw_get("/Pg").idnum]
    _element_walk(node.get("/K", ArrayObject()), page, page_index, walk)


def skipped_heading_levels(levels: list[int]) -> list[tuple[int, int]]:
    """(previous, next) pairs where a heading goes more than one level deeper."""
    found = []
    previous = 0
    for level in levels:
        if level > previous + 1:
            found.append((previous, level))
        previous = level
    return found


def parent_tree_problems(path: Path) -> list[str]:
    """Where the parent tree (how a reader goes from a glyph or a link to its element) and the
    elements' /P disagree with the tree itself."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"].raw_get("/StructTreeRoot")
    #: (page, mcid) of each marked-content sequence, or a link annotation's number: its element's number.
    owners: dict[tuple[int, int] | int, int] = {}
    problems: list[str] = []
    stack: list[tuple[Any, int, int]] = [(root.get_object().raw_get("/K"), root.idnum, -1)]
    while stack:
        node, parent, page = stack.pop()
        if isinstance(node, ArrayObject):
            stack += [(kid, parent, page) for kid in node]
        elif isinstance(node, NumberObject):
            owners[(page, int(node))] = parent
        elif node.get_object().get("/Type") == "/MCR":
            owners[(pages[node.get_object().raw_get("/Pg").idnum], int(node.get_object()["/MCID"]))] = parent
        elif node.get_object().get("/Type") == "/OBJR":
            owners[node.get_object().raw_get("/Obj").idnum] = parent
        else:
            element = node.get_object()
            if element.raw_get("/P").idnum != parent:
                problems.append(f"{element['/S']} (object {node.idnum}): its /P is not the element that holds it")
            if "/Pg" in element:
                page = pages[element.raw_get("/Pg").idnum]
            stack.append((element.raw_get("/K") if "/K" in element else ArrayObject(), node.idnum, page))
    entries: dict[int, Any] = {}
    _number_tree(root.get_object()["/ParentTree"], entries)
    for index, page in enumerate(reader.pages):
        listed = entries.get(int(page["/StructParents"]))
        found = [reference.idnum for reference in listed.get_object()] if listed is not None else []
        owned = sorted(
            (mcid, owner)
            for where, owner in owners.items()
            if isinstance(where, tuple)
            for mcid in [where[1]]
            if where[0] == index
        )
        if found != [owner for _, owner in owned] or [mcid for mcid, _ in owned] != list(range(len(owned))):
            problems.append(f"page {index + 1}: the parent tree names other elements than the tree")
        for annotation in page.get("/Annots") or []:
            key = annotation.get_object().get("/StructParent")
            if key is not None and entries[int(key)].idnum != owners.get(annotation.idnum):
                problems.append(f"page {index + 1}: a link's parent-tree entry is not its element")
    return problems


def _number_tree(node: Any, into: dict[int, Any]) -> None:
    """A number tree's entries (key: value, references unresolved)."""
    node = node.get_object()
    nums = node.raw_get("/Nums") if "/Nums" in node else ArrayObject()
    nums = nums.get_object()
    for key, value in zip(list(nums)[::2], list(nums)[1::2], strict=True):
        into[int(key)] = value
    for kid in node.get("/Kids", ArrayObject()):
        _number_tree(kid, into)
