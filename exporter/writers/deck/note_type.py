"""The note types of exporter's cards: fields, templates and style, with fixed ids.

Today's step, phrase and warning cards use the first note type (MODEL_ID, never changed but for
its style); the situation and step-order cards use the practice type, and the steps of a long
technique one at a time the sequence type (a cloze note: one card per step, each showing the
steps before it). One style serves all three.

Every block of a card is laid out in the library's direction: right to left for Hebrew, Arabic,
Persian... (a block's first letter, often a Latin A-D or a number, must not turn it around);
`dir="auto"` (each block its own first strong letter's) elsewhere."""

from __future__ import annotations

import re
from typing import Any

from exporter.labels import Labels
from exporter.options import FIRST_MTIME
from exporter.text.languages import is_rtl_language
from exporter.writers.deck.identity import (
    FIELD_LABELS,
    FIELDS,
    MODEL_ID,
    NOTES_FIELD,
    PRACTICE_FIELDS,
    PRACTICE_MODEL_ID,
    SEQUENCE_FIELDS,
    SEQUENCE_MODEL_ID,
    content_hash,
)
from exporter.writers.deck.notes import esc
from exporter.writers.deck.package import stable_id

#: Never change these: Anki recognises the note type and its parts by them.
TEMPLATE_ID_NAME = "Recall"
PRACTICE_TEMPLATE_ID_NAME = "Practice"
SEQUENCE_TEMPLATE_ID_NAME = "Sequence"


#: The label key of the fields the later note types added.
LATER_FIELD_LABELS = {"Text": "steps"}

#: Characters a field name cannot hold (Anki's template syntax uses them).
_NOT_IN_FIELD_NAMES = re.compile(r"[:{}\"#^/<>]")


FRONT = """<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-header" dir="auto">{{Header}}</div>
{{#Status}}<div class="xc-status" dir="auto">{{Status}}</div>{{/Status}}
{{#Context}}<div class="xc-context" dir="auto">{{Context}}</div>{{/Context}}
<div class="xc-prompt" dir="auto">{{Prompt}}</div>
</div>"""

BACK = """{{FrontSide}}
<hr id="answer">
<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-answer" dir="auto">{{Answer}}</div>
{{#StepMap}}<div class="xc-map" dir="auto">{{StepMap}}</div>{{/StepMap}}
{{#Source}}<div class="xc-source" dir="auto">{{Source}}</div>{{/Source}}
{{#Extra}}<div class="xc-extra" dir="auto"><span class="xc-label">{{NOTES_LABEL}}</span> {{Extra}}</div>{{/Extra}}
</div>"""

PRACTICE_BACK = """{{FrontSide}}
<hr id="answer">
<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-answer" dir="auto">{{Answer}}</div>
{{#Extra}}<div class="xc-extra" dir="auto"><span class="xc-label">{{NOTES_LABEL}}</span> {{Extra}}</div>{{/Extra}}
</div>"""

SEQUENCE_FRONT = """<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-header" dir="auto">{{Header}}</div>
{{#Status}}<div class="xc-status" dir="auto">{{Status}}</div>{{/Status}}
{{#Context}}<div class="xc-context" dir="auto">{{Context}}</div>{{/Context}}
<div class="xc-seq xc-ask" dir="auto">{{cloze:Text}}</div>
<div class="xc-prompt" dir="auto">{{SEQUENCE_ASK}}</div>
</div>"""

SEQUENCE_BACK = """<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-header" dir="auto">{{Header}}</div>
{{#Status}}<div class="xc-status" dir="auto">{{Status}}</div>{{/Status}}
{{#Context}}<div class="xc-context" dir="auto">{{Context}}</div>{{/Context}}
<hr id="answer">
<div class="xc-seq" dir="auto">{{cloze:Text}}</div>
{{#Extra}}<div class="xc-extra" dir="auto"><span class="xc-label">{{NOTES_LABEL}}</span> {{Extra}}</div>{{/Extra}}
</div>"""

CSS = """.card {
  --fg: #1d2330; --muted: #5b6475; --bg: #fdfcf8; --box: #eef2f8; --accent: #4a6fa5;
  --mark: #fff1b8; --alert-bg: #fbe3e3; --alert-fg: #7a1f1f; --rule: #d9dde5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 20px; line-height: 1.45; text-align: start; color: var(--fg); background: var(--bg);
  margin: 0; padding: 16px; overflow-wrap: break-word;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e6e8ec; --muted: #a9b1bf; --bg: #1e2127; --box: #2a303a; --accent: #7fa3d6;
  --mark: #4a4020; --alert-bg: #4a2626; --alert-fg: #f3c6c6; --rule: #3a404b;
}
.xc { max-width: 34em; margin: 0 auto; }
.xc-header { font-size: 0.72em; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 6px; }
.xc-context {
  background: var(--box); border-inline-start: 4px solid var(--accent); border-radius: 6px;
  padding: 8px 12px; margin: 12px 0;
}
.xc-label { display: block; font-size: 0.65em; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.xc-prompt { font-size: 1.15em; font-weight: 600; margin: 14px 0; }
.xc-answer { font-size: 1.1em; }
.xc-map ol { margin: 14px 0 0; padding-inline-start: 1.6em; font-size: 0.78em; color: var(--muted); }
.xc-map li { margin: 2px 0; }
.xc-map li.xc-current { color: var(--fg); font-weight: 700; background: var(--mark); border-radius: 4px; }
.xc-source { font-size: 0.72em; color: var(--muted); margin-top: 16px; }
.xc-source .xc-label { font-size: 0.85em; }
.xc-context br + .xc-label { margin-top: 8px; }
.xc-status {
  background: var(--alert-bg); color: var(--alert-fg); border-radius: 6px;
  padding: 6px 10px; margin: 10px 0; font-size: 0.8em;
}
.xc-key { background: var(--mark); border-radius: 4px; padding: 0 2px; }
details.xc-more { margin-top: 10px; font-size: 0.8em; color: var(--muted); }
details.xc-more summary { color: var(--accent); }
.xc-order-list { margin: 6px 0 0; padding: 0; list-style: none; }
.xc-order-list li { margin: 4px 0; }
.xc-letter { font-weight: 700; color: var(--accent); margin-inline-end: 6px; unicode-bidi: isolate; }
.xc-answer ol { margin: 10px 0 0; padding-inline-start: 1.6em; font-size: 0.8em; color: var(--muted); }
.xc-seq { margin: 12px 0; }
.xc-step { display: block; margin: 4px 0; }
.xc-number { color: var(--muted); margin-inline-end: 6px; unicode-bidi: isolate; }
.xc-ask .xc-step:has(.cloze) ~ .xc-step { display: none; }
.xc-whole, .xc-sort-only, .xc-seq .cloze .xc-brief { display: none; }
.xc-seq .cloze .xc-whole { display: inline; }
.cloze { font-weight: 700; color: var(--accent); }
.xc-extra { font-size: 0.85em; margin-top: 12px; border-top: 1px dashed var(--rule); padding-top: 8px; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 16px 0; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 10px; } .xc-prompt { font-size: 1.08em; } }
"""


def field_names(labels: Labels, fields: tuple[str, ...] = FIELDS) -> dict[str, str]:
    """The displayed name of each field, from the labels; the internal name where a label
    would not work as an Anki field name (empty, a template character, or a repeat)."""
    names: dict[str, str] = {}
    label_keys = {**FIELD_LABELS, **LATER_FIELD_LABELS}
    for internal in fields:
        shown = " ".join(_NOT_IN_FIELD_NAMES.sub("", labels(f"deck.field.{label_keys[internal]}")).split())
        names[internal] = shown if shown and shown not in names.values() else internal
    return names


def _template(text: str, names: dict[str, str], labels: Labels) -> str:
    """A template with each {{Field}} (and {{#Field}}, {{/Field}}) under its displayed name."""
    pattern = re.compile(r"\{\{([#/^]?|cloze:)(" + "|".join(names) + r")\}\}")
    text = pattern.sub(lambda match: "{{" + match.group(1) + names[match.group(2)] + "}}", text)
    text = text.replace("{{SEQUENCE_ASK}}", esc(labels("deck.step_sequence_ask")))
    if is_rtl_language(labels.language):
        text = text.replace(' dir="auto"', ' dir="rtl"')
    return text.replace("{{NOTES_LABEL}}", esc(names[NOTES_FIELD]))


def note_type_json(mtime: int, labels: Labels) -> dict[str, Any]:
    """Today's note type in the package's (schema 11) form, with fixed ids for fields and template."""
    required = [FIELDS.index(name) for name in ("Prompt", "Header", "Context", "Status")]
    template = (TEMPLATE_ID_NAME, labels("deck.card_type"), FRONT, BACK)
    return _note_type(MODEL_ID, labels("deck.note_type"), FIELDS, template, mtime, labels, required)


def practice_type_json(mtime: int, labels: Labels) -> dict[str, Any]:
    """The note type of situation and step-order cards: a question and its answer, like today's."""
    required = [PRACTICE_FIELDS.index(name) for name in ("Header", "Prompt")]
    template = (PRACTICE_TEMPLATE_ID_NAME, labels("deck.practice_card_type"), FRONT, PRACTICE_BACK)
    return _note_type(PRACTICE_MODEL_ID, labels("deck.practice_note_type"), PRACTICE_FIELDS, template, mtime, labels,
                      required)  # fmt: skip


def sequence_type_json(mtime: int, labels: Labels) -> dict[str, Any]:
    """The note type of a technique's steps one at a time: a cloze note, one card per step."""
    template = (SEQUENCE_TEMPLATE_ID_NAME, labels("deck.sequence_card_type"), SEQUENCE_FRONT, SEQUENCE_BACK)
    return {
        **_note_type(SEQUENCE_MODEL_ID, labels("deck.sequence_note_type"), SEQUENCE_FIELDS, template, mtime, labels),
        "type": 1,
    }


def note_types_json(mtime: int, labels: Labels) -> dict[str, dict[str, Any]]:
    """Every note type the package ships, by id (all three, whichever the notes use)."""
    types = (note_type_json(mtime, labels), practice_type_json(mtime, labels), sequence_type_json(mtime, labels))
    return {str(note_type["id"]): note_type for note_type in types}


def _note_type(
    model_id: int,
    name: str,
    internal_fields: tuple[str, ...],
    template: tuple[str, str, str, str],
    mtime: int,
    labels: Labels,
    required: list[int] | None = None,
) -> dict[str, Any]:
    names = field_names(labels, internal_fields)
    id_name, shown_name, front, back = template
    fields = [
        {
            "name": names[internal],
            "ord": index,
            "id": stable_id(f"field:{internal}" if model_id == MODEL_ID else f"field:{model_id}:{internal}"),
            "font": "Arial",
            "size": 20,
            "rtl": is_rtl_language(labels.language),
            "sticky": False,
            "media": [],
            **({"description": labels("deck.my_notes_description")} if internal == NOTES_FIELD else {}),
        }
        for index, internal in enumerate(internal_fields)
    ]
    card_template = {
        "name": shown_name,
        "ord": 0,
        "id": stable_id(f"template:{id_name}"),
        "qfmt": _template(front, names, labels),
        "afmt": _template(back, names, labels),
        "bqfmt": "",
        "bafmt": "",
        "bfont": "",
        "bsize": 0,
        "did": None,
    }
    return {
        "id": model_id,
        "name": name,
        "type": 0,
        "mod": mtime,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [card_template],
        "flds": fields,
        "css": CSS,
        "latexPre": "",
        "latexPost": "",
        "latexsvg": False,
        **({"req": [[0, "any", required]]} if required is not None else {}),
        "tags": [],
        "vers": [],
    }


def note_type_hash(labels: Labels) -> str:
    """The fingerprint of every note type shipped (of today's alone, as before, when it is the only one)."""
    return content_hash(*note_types_json(FIRST_MTIME, labels).values())
