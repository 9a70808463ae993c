"""A made-up library of any size, for the benchmark, load tests and fuzzing.

Seeded and deterministic: the same (count, seed) writes the same files. The shape follows
the real content: 5-9 steps, 2-3 of each phrase kind, 3 warnings, a few sources, sentences
of realistic length, some Cyrillic and Greek, and `&`, `<`, quotes in the text.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

CATEGORIES: list[dict[str, str]] = [
    {"name": "Problem processing", "icon": "🔧", "colour": "#b5651d"},
    {"name": "Interpersonal", "icon": "👥", "colour": "#2e6f95"},
    {"name": "Emotion regulation", "icon": "🔧", "colour": "#6b8e23"},
    {"name": "Reflective stance", "icon": "👥", "colour": "#7b4f9d"},
]

LIBRARY: dict[str, Any] = {
    "title": "Synthetic Technique Library",
    "subtitle": "Generated for benchmarks & tests",
    "organisation": "Exporter Benchmark <Group>",
    "language": "en",
    "edition": "Synthetic edition",
    "disclaimer": (
        "This material is generated for testing only. It is not medical or psychological advice, "
        "and it cannot stand in for consulting a qualified professional."
    ),
    "short_disclaimer": "Generated test material; not advice.",
    "categories": CATEGORIES,
    "settings": {"paper": "a4", "card_size": "a7", "duplex": "long-edge"},
}

_COMMON = (
    "the the the a a an and and to to of of in with for that this you your their client "
    "therapist is is are can may will not it what when how as on at by be from more feel "
    "moment session together"
).split()
_CONTENT = (
    "attention feeling relationship reaction thought experience perspective pause curiosity "
    "alliance rupture empathy validation mind intention behaviour situation emotion memory "
    "shift tension meaning understanding response uncertainty explore notice describe wonder "
    "reflect acknowledge invite clarify slow down name recognise imagine connect contain "
    "stabilise mentalize tolerate explain encourage hostile anxious withdrawn confused curious "
    "careful genuine tentative respectful important difficult different recent earlier "
    "interpersonal emotional internal external possible perhaps gently openly carefully "
    "misunderstanding interpretation hypothesis affect arousal attachment trust safety"
).split()
_CYRILLIC = ("доверие", "отношение", "чувство", "пауза", "понимание")
_GREEK = ("ψυχή", "λόγος", "ἦθος", "σχέση", "κατανόηση")
_TITLE_WORDS = (
    "Affect Focus",
    "Stop and Rewind",
    "Curious Stance",
    "Mentalizing the Transference",
    "Clarification",
    "Contrary Moves",
    "Validation",
    "Relational Repair",
    "Naming the Shift",
    "Empathic Bridge",
    "Pausing the Scene",
    "Not-Knowing",
)
_SURNAMES = ("Bateman", "Fonagy", "Allen", "Luyten", "Bevington", "Asen", "Target", "Midgley")


class _Writer:
    """Sentences drawn from one seeded random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.015:
            return rng.choice(_CYRILLIC)
        if roll < 0.03:
            return rng.choice(_GREEK)
        if roll < 0.045:
            return rng.choice(("&", "<", "a <b>tag</b>", "“quoted”", "{{field}}", "R&D"))
        return rng.choice(_COMMON) if roll < 0.5 else rng.choice(_CONTENT)

    def sentence(self, low: int = 8, high: int = 22, end: str = ".") -> str:
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        text = " ".join(words)
        return text[0].upper() + text[1:] + end

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))


def synthetic_techniques(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """`count` technique dicts, in the shape of content/techniques/<id>.yaml."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    techniques: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        base = rng.choice(_TITLE_WORDS)
        technique_id = f"{base.lower().replace(' ', '-')}-{number:05d}"
        categories = rng.sample([c["name"] for c in CATEGORIES], rng.randint(1, 2))
        earlier = [t["id"] for t in techniques[-40:]]
        techniques.append(
            {
                "id": technique_id,
                "title": f"{base} {number}",
                "categories": categories,
                "summary": writer.sentences(3, 5),
                "steps": _items(writer, rng.randint(5, 9), "step", cue_share=0.3),
                "when_to_use": _items(writer, rng.randint(2, 4), "when"),
                "key_phrases": _items(writer, rng.randint(2, 3), "phrase"),
                "follow_up_questions": _items(writer, rng.randint(2, 3), "question", end="?", cue_share=0.5),
                "alternative_phrasings": _items(writer, rng.randint(2, 3), "alternative"),
                "warnings": [{"id": f"warning-{k}", "text": _warning(writer)} for k in range(1, 4)],
                "sources": [_source(rng, writer) for _ in range(rng.randint(1, 2))],
                "similar": rng.sample(earlier, min(len(earlier), rng.randint(0, 2))),
            }
        )
    return techniques


def _items(writer: _Writer, count: int, prefix: str, end: str = ".", cue_share: float = 0.0) -> list[Any]:
    items: list[Any] = []
    for index in range(1, count + 1):
        text = writer.sentence(end=end)
        if writer.rng.random() < 0.3:
            text = writer.sentence() + " " + text
        if writer.rng.random() < cue_share:
            items.append({"id": f"{prefix}-{index}", "cue": writer.sentence(3, 7, ""), "text": text})
        else:
            items.append(text)
    return items


def _warning(writer: _Writer) -> str:
    action = writer.sentence(4, 9, end="")
    return f"Do not {action[0].lower()}{action[1:]} — {writer.sentence(5, 12)}"


def _source(rng: random.Random, writer: _Writer) -> str:
    authors = " & ".join(f"{name}, {chr(65 + rng.randrange(26))}." for name in rng.sample(_SURNAMES, 2))
    return f"{authors} ({rng.randint(1995, 2025)}). {writer.sentence(4, 9)} Oxford University Press."


def write_synthetic_content(root: Path, count: int, seed: int = 2026) -> Path:
    """Write library.yaml and techniques/*.yaml for `count` techniques under root/content."""
    content = root / "content"
    techniques_dir = content / "techniques"
    techniques_dir.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (content / "library.yaml").write_text(
        yaml.dump(LIBRARY, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for technique in synthetic_techniques(count, seed):
        (techniques_dir / f"{technique['id']}.yaml").write_text(
            yaml.dump(technique, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
    return content


#: Given names and surnames in three scripts, for made-up rosters.
_ROSTER_NAMES = [
    ("Amira", "Haddad"), ("Jonas", "Berg"), ("Олена", "Коваленко"), ("Noa", "Levi"), ("Дмитрий", "Орлов"),
    ("נועה", "כהן"), ("Lucía", "Martín"), ("Kwame", "Mensah"), ("Ingrid", "Dahl"), ("Yusuf", "Demir"),
]  # fmt: skip


def write_synthetic_course(content: Path, course_id: str, sessions: int, per_session: int, roster: int) -> Path:
    """A course file over the library's first techniques (sessions x per_session of them), with
    a roster of `roster` made-up names (none: no roster); returns its path."""
    technique_ids = sorted(path.stem for path in (content / "techniques").glob("*.yaml"))
    needed = sessions * per_session
    if len(technique_ids) < needed:
        raise ValueError(f"the library has {len(technique_ids)} techniques; the course needs {needed}")
    course: dict[str, Any] = {
        "title": f"Course {course_id}",
        "trainer": "A. Trainer",
        "group": "Synthetic group",
        "sessions": [
            {
                "title": f"Session about {_TITLE_WORDS[number % len(_TITLE_WORDS)]}",
                "date": f"2026-03-{number + 1:02d}",
                "techniques": technique_ids[number * per_session : (number + 1) * per_session],
            }
            for number in range(sessions)
        ],
    }
    if roster:
        course["roster"] = [
            f"{given} {surname} {number}"
            for number, (given, surname) in enumerate(
                (_ROSTER_NAMES[n % len(_ROSTER_NAMES)] for n in range(roster)), start=1
            )
        ]
    path = content / "courses" / f"{course_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(course, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
