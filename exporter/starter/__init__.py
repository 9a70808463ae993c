"""A way to start: `exporter init` makes a library with one example technique, and `exporter new`
a technique file from a commented template. Both write files that already pass `validate`."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

import click
import yaml

from exporter.content.field_checks import library_in_working_folder
from exporter.content.yaml_nodes import load_yaml_file
from exporter.errors import ExporterError
from exporter.files.atomic import write_bytes_atomic
from exporter.importer.parse.page import slugify
from exporter.labels import bundled_languages
from exporter.writers.deck.state import start_state

TEMPLATES = Path(__file__).parent / "templates"
#: The example technique's and the library's texts in each bundled language (a test keeps them
#: complete).
TEXTS = TEMPLATES / "texts"
EXAMPLE_ID = "curious-questioning"


def init_library(content_dir: Path, language: str) -> None:
    """A new content folder: library.yaml, one example technique, and an empty deck state (no
    deck was ever published from it, so its first build starts quietly)."""
    library = content_dir / "library.yaml"
    if library.exists():
        raise ExporterError(f'{library}: a library is already there; `exporter new "Title"` adds a technique to it')
    if language not in bundled_languages():
        raise click.BadParameter(f"choose from {', '.join(bundled_languages())}", param_hint="--language")
    texts = starter_texts(language)
    write_bytes_atomic(library, _filled("library.yaml", texts, language=language))
    example = content_dir / "techniques" / f"{EXAMPLE_ID}.yaml"
    write_bytes_atomic(example, _filled("example.yaml", texts))
    start_state(content_dir)
    click.echo(f"created {library} and {example}; build them with `exporter build --content {content_dir}`")


def starter_texts(language: str) -> dict[str, str]:
    """The example technique's and the library's texts in language (templates/texts/<language>.yaml),
    each as a YAML scalar: quoted, so that a colon or a quote in a translation stays text."""
    data = yaml.safe_load((TEXTS / f"{language}.yaml").read_text(encoding="utf-8"))
    steps = data.pop("steps")
    data.update({f"step_{number}": step for number, step in enumerate(steps, start=1)})
    return {key: json.dumps(str(value), ensure_ascii=False) for key, value in data.items()}


def _filled(template: str, texts: dict[str, str], **more: str) -> bytes:
    return Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(texts, **more).encode("utf-8")


def new_technique(content_dir: Path, title: str, category: str | None) -> Path:
    """techniques/<id>.yaml for title, from the template, in the library's first category unless
    one is named; refused when a technique file of that id exists."""
    title = " ".join(title.split())
    technique_id = slugify(title)
    if not technique_id:
        raise click.BadParameter(f"{title!r} gives no id; use letters or digits", param_hint="TITLE")
    categories = _library_categories(content_dir)
    chosen = category or categories[0]
    if chosen not in categories:
        raise click.BadParameter(f"{chosen!r} is not a category of the library ({', '.join(categories)})")
    target = content_dir / "techniques" / f"{technique_id}.yaml"
    if target.exists() or target.with_suffix(".yml").exists():
        raise ExporterError(f"{target}: a technique with the id '{technique_id}' exists already; edit that file")
    text = Template((TEMPLATES / "technique.yaml").read_text(encoding="utf-8")).substitute(
        title=title,
        title_yaml=json.dumps(title, ensure_ascii=False),
        category_yaml=json.dumps(chosen, ensure_ascii=False),
    )
    write_bytes_atomic(target, text.encode("utf-8"))
    click.echo(f"wrote {target}: fill it in, then run `exporter validate --content {content_dir}`")
    return target


def _library_categories(content_dir: Path) -> list[str]:
    path = content_dir / "library.yaml"
    if not path.is_file():
        raise ExporterError(f"{path}: no library here; {_where_the_library_is(content_dir)}")
    root, _ = load_yaml_file(path, str(path))
    value = root.value if root is not None else None
    categories = value.get("categories") if isinstance(value, dict) else None
    names = [
        str(entry.value["name"].value)
        for entry in (categories.value if categories is not None and isinstance(categories.value, list) else [])
        if isinstance(entry.value, dict) and "name" in entry.value
    ]
    if not names:
        raise ExporterError(f"{path}: the library declares no category; run `exporter validate` first")
    return names


def _where_the_library_is(content_dir: Path) -> str:
    """What to do instead: name the library in this folder (`init` puts it there), or make one."""
    if library_in_working_folder(content_dir):
        return "this folder holds one: add `--content .`"
    return f"`exporter init {content_dir}` makes one"
