"""Where each imported page goes in the library: the technique it already is, or a new file.

A technique is recognised by its title and by its `id:` whatever its file is called (a renamed
file, `.yml`, `X.YAML`), so an import never writes a second file with an id that exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter.content.techniques import ID_PATTERN, TECHNIQUE_KEYS, technique_files
from exporter.content.yaml_nodes import load_yaml_file
from exporter.errors import Problem
from exporter.importer.parse.page import ParsedPage, slugify

#: Order of the fields in a written technique file.
FIELD_ORDER = tuple(key for key in TECHNIQUE_KEYS if key != "id")


@dataclass(frozen=True)
class ExistingTechnique:
    technique_id: str
    title: str
    path: Path
    #: The file says `id:` itself (rather than taking it from its name).
    names_its_id: bool


@dataclass(frozen=True)
class Target:
    """The file a page is written to and the id the technique has there."""

    technique_id: str
    path: Path
    #: The file name alone does not give the id, so the file must say `id:`.
    writes_id: bool


def scalar_text(node: Any) -> str:
    return node.value.strip() if node is not None and isinstance(node.value, str) else ""


def existing_techniques(into_dir: Path) -> list[ExistingTechnique]:
    """The techniques already in the target folder (id and title), read leniently."""
    found: list[ExistingTechnique] = []
    for path in technique_files(into_dir / "techniques"):
        if not path.is_file():
            continue
        root, _ = load_yaml_file(path, path.as_posix())
        values = root.value if root is not None and isinstance(root.value, dict) else {}
        own_id = scalar_text(values.get("id"))
        found.append(ExistingTechnique(own_id or path.stem, scalar_text(values.get("title")), path, bool(own_id)))
    return found


class TargetLibrary:
    """The techniques of the target library, found by title and by id."""

    def __init__(self, into_dir: Path, existing: list[ExistingTechnique]) -> None:
        self.into_dir = into_dir
        self.by_title = {e.title.casefold(): e for e in existing if e.title}
        self.by_id = {e.technique_id: e for e in existing if ID_PATTERN.fullmatch(e.technique_id)}

    def target_for(self, page: ParsedPage) -> Target:
        """The file of the technique with this title, else of the one with this id, else a new file."""
        same = self.by_title.get(page.title.casefold())
        if same is None or not ID_PATTERN.fullmatch(same.technique_id):
            same = self.by_id.get(page.technique_id)
        if same is not None:
            writes_id = same.names_its_id or same.path.stem != same.technique_id
            return Target(same.technique_id, same.path, writes_id)
        return Target(page.technique_id, self.into_dir / "techniques" / f"{page.technique_id}.yaml", False)

    def resolve_similar(
        self, page: ParsedPage, own_id: str, imported: dict[str, str], available: set[str]
    ) -> tuple[list[str], list[Problem]]:
        """The ids of the titles under "Similar techniques"; a title found nowhere is a warning."""
        ids: list[str] = []
        problems: list[Problem] = []
        for title, line in page.similar_titles:
            key = title.casefold()
            found = imported.get(key) or (self.by_title[key].technique_id if key in self.by_title else None)
            if found is None and slugify(title) in available:
                found = slugify(title)
            if found is not None and not ID_PATTERN.fullmatch(found):
                found = None
            if found is None:
                problems.append(
                    Problem(
                        page.display,
                        line,
                        "similar",
                        f"no technique titled '{title}' in the library or this import; left out",
                        "warning",
                    )
                )
            elif found != own_id and found not in ids:
                ids.append(found)
        return ids, problems


def technique_data(page: ParsedPage, similar: list[str], technique_id: str | None = None) -> dict[str, Any]:
    """The technique file's fields in their usual order; `id` first when the file must say it."""
    data: dict[str, Any] = {"id": technique_id} if technique_id else {}
    data.update({name: page.fields[name] for name in FIELD_ORDER if name in page.fields})
    if similar:
        data["similar"] = similar
    return data
