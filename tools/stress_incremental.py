"""Stress the incremental-build caches: after each random edit, an incremental build into a
persistent folder A must give the bytes of a cold build (empty folder B) of the same content.

Usage:
  SOURCE_DATE_EPOCH=1796541000 .venv/bin/python tools/stress_incremental.py NAME SRC_CONTENT \
      --rounds 20 --seed 1 [--set chapter_start=right --set paper=letter ...] [--only ...]

Work folder: /tmp/stress/NAME (content W, incremental out A, per-round cold copy).
The cold content is copied from W right after the edit, before the incremental build, so both
builds read the same deck-state.json; afterwards both deck-state.json files are compared too.
Findings are appended to /tmp/stress/NAME/findings.txt and the whole state of a failing round is
kept under /tmp/stress/NAME/fail-<round>; /tmp/stress/NAME/snapshots/<round> is the content as each
build saw it (replay the snapshots in order into one --out to reproduce). An edit both builds refuse
(content error) is noted and undone.

Round seven's run (13 libraries and settings, about 400 rounds of mixed edits, stopped builds,
`exporter watch` and option changes) found one difference: card pages replayed after a rare
letter was swapped for another (fixed: the fonts' seed is in every card page's key).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

IGNORE = {".exporter-cache", ".exporter-record.json"}

RARE = [
    "Nguyễn",
    "Wałęsa",
    "🧭",
    "שלום",
    "مرحبا",
    "Ærøskøbing",
    "Dvořák",
    "ﬁne",
    "naïve café",
    "ß",
    "½",
    "→",
    "“quoted”",
    "Ω",
    "ĳ",
    "ø",
    "ą",
    "ğ",
    "ž",
    "¿qué?",
    "日本",
    "👩‍⚕️",
]
WORDS = (
    "client therapist pause notice feeling curious wonder slowly gently together reflect "
    "moment memory tension trust explore rupture repair stance"
).split()


def load(p: Path) -> Any:
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def save(p: Path, data: Any) -> None:
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def techs(c: Path) -> list[Path]:
    return sorted((c / "techniques").glob("*.yaml"))


def tid(p: Path) -> str:
    d = load(p)
    return d.get("id", p.stem) if isinstance(d, dict) else p.stem


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _text_of(item: Any) -> str:
    return item["text"] if isinstance(item, dict) else item


def _with_text(item: Any, text: str) -> Any:
    if isinstance(item, dict):
        item = dict(item)
        item["text"] = text
        return item
    return text


# ---------------------------------------------------------------- edits
def e_append_step(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    i = rng.randrange(len(d["steps"]))
    d["steps"][i] = _with_text(
        d["steps"][i], _text_of(d["steps"][i]).rstrip() + " " + words(rng, rng.randint(1, 8)) + "."
    )
    save(p, d)
    return f"append words to step {i + 1} of {p.name}"


def e_add_step(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    i = rng.randrange(len(d["steps"]) + 1)
    text = words(rng, rng.randint(4, 14)).capitalize() + "."
    new = (
        {"id": f"added-step-{rng.randint(1000, 9999)}", "text": text}
        if d["steps"] and isinstance(d["steps"][0], dict)
        else text
    )
    d["steps"].insert(i, new)
    save(p, d)
    return f"add step at {i + 1} of {p.name}"


def e_delete_step(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    if len(d["steps"]) <= 2:
        return e_add_step(c, rng)
    i = rng.randrange(len(d["steps"]))
    del d["steps"][i]
    save(p, d)
    return f"delete step {i + 1} of {p.name}"


def e_reorder_steps(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    rng.shuffle(d["steps"])
    save(p, d)
    return f"shuffle steps of {p.name}"


def e_title(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    d["title"] = f"{words(rng, 2).title()} {rng.randint(10, 99)}"
    save(p, d)
    return f"title of {p.name} -> {d['title']!r}"


def e_long_title(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    extra = rng.choice(["", " — " + rng.choice(RARE), " (Nguyễn–Wałęsa)"])
    d["title"] = (
        "A Very Long Technique Title That Certainly Will Not Fit Into The Running Header "
        + words(rng, rng.randint(3, 12)).title()
        + extra
    )
    save(p, d)
    return f"long title of {p.name} -> {d['title']!r}"


def e_punct_title(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    d["title"] = "“" + "— ... " + words(rng, 12).title() + " Supercalifragilisticexpialidocious”"
    save(p, d)
    return f"punct title of {p.name} -> {d['title']!r}"


def e_similar(c, rng):
    ts = techs(c)
    p = rng.choice(ts)
    d = load(p)
    sim = d.get("similar") or []
    others = [tid(o) for o in ts if o != p and tid(o) not in sim]
    if sim and (not others or rng.random() < 0.5):
        x = sim.pop(rng.randrange(len(sim)))
        d["similar"] = sim
        if not sim:
            del d["similar"]
        save(p, d)
        return f"remove similar {x} from {p.name}"
    if not others:
        return e_append_step(c, rng)
    x = rng.choice(others)
    d["similar"] = sim + [x]
    save(p, d)
    return f"add similar {x} to {p.name}"


def e_warning(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    ws = d.setdefault("warnings", [])
    text = f"Do not {words(rng, rng.randint(3, 9))} — because {words(rng, 4)}."
    if ws and isinstance(ws[0], dict):
        ws.append({"id": f"warn-{rng.randint(1000, 9999)}", "cue": words(rng, 5).capitalize(), "text": text})
    else:
        ws.append(text)
    save(p, d)
    return f"add warning to {p.name}"


def e_category(c, rng):
    lib = load(c / "library.yaml")
    names = [x["name"] for x in lib["categories"]]
    p = rng.choice(techs(c))
    d = load(p)
    k = rng.randint(1, min(2, len(names)))
    d["categories"] = rng.sample(names, k)
    save(p, d)
    return f"categories of {p.name} -> {d['categories']}"


def e_add_tech(c, rng):
    src = rng.choice(techs(c))
    d = load(src)
    n = rng.randint(1000, 9999)
    new_id = f"added-{n}"
    if "id" in d:
        d["id"] = new_id
    d["title"] = f"Added {words(rng, 1).title()} {n}"
    d.pop("similar", None)
    save(c / "techniques" / f"{new_id}.yaml", d)
    return f"add technique {new_id} (copy of {src.name})"


def e_del_tech(c, rng):
    ts = techs(c)
    if len(ts) <= 2:
        return e_add_tech(c, rng)
    courses = (
        "".join(x.read_text(encoding="utf-8") for x in (c / "courses").glob("*.yaml"))
        if (c / "courses").is_dir()
        else ""
    )
    free = [p for p in ts if tid(p) not in courses]
    if not free:
        return e_add_tech(c, rng)
    p = rng.choice(free)
    gone = tid(p)
    p.unlink()
    for o in techs(c):
        d = load(o)
        if gone in (d.get("similar") or []):
            d["similar"] = [x for x in d["similar"] if x != gone]
            if not d["similar"]:
                del d["similar"]
            save(o, d)
    return f"delete technique {p.name}"


def e_rare(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    r = rng.choice(RARE)
    field = rng.choice(["steps", "summary", "warnings", "title"])
    if field == "steps" or (field == "warnings" and not d.get("warnings")):
        i = rng.randrange(len(d["steps"]))
        d["steps"][i] = _with_text(d["steps"][i], _text_of(d["steps"][i]).rstrip() + f" {r} {words(rng, 2)}.")
    elif field == "warnings":
        i = rng.randrange(len(d["warnings"]))
        d["warnings"][i] = _with_text(d["warnings"][i], _text_of(d["warnings"][i]).rstrip() + f" ({r})")
    elif field == "summary":
        d["summary"] = d["summary"].rstrip() + f" {r}."
    else:
        d["title"] = d["title"] + f" {r}"
    save(p, d)
    return f"rare {r!r} in {field} of {p.name}"


SWAP = ["ą", "ễ", "ǿ", "ŧ", "ț", "ș", "ő", "ű", "ȟ", "ḿ"]


def e_swap_rare(c, rng):
    """Replace one rare letter by another the library does not use: the number of non-ASCII
    characters (and so each font's next free subset code) stays, the set changes."""
    ts = techs(c)
    text = "".join(p.read_text(encoding="utf-8") for p in ts) + (c / "library.yaml").read_text(encoding="utf-8")
    present = [ch for ch in SWAP if ch in text]
    absent = [ch for ch in SWAP if ch not in text]
    if not present:  # plant one first (this build adds a character)
        p = rng.choice(ts)
        d = load(p)
        i = rng.randrange(len(d["steps"]))
        ch = rng.choice(SWAP)
        d["steps"][i] = _with_text(d["steps"][i], _text_of(d["steps"][i]).rstrip() + f" Mark {ch} here.")
        save(p, d)
        return f"plant {ch!r} in step {i + 1} of {p.name}"
    old, new = rng.choice(present), rng.choice(absent)
    for p in ts:
        t = p.read_text(encoding="utf-8")
        if old in t:
            p.write_text(t.replace(old, new), encoding="utf-8")
    return f"swap rare {old!r} -> {new!r}"


def e_dup_text(c, rng):
    """Append to a step a sentence the library already has (no new word, so the font seed
    stays and the other parts are replayed)."""
    ts = techs(c)
    src = load(rng.choice(ts))
    p = rng.choice(ts)
    d = load(p)
    pool = [_text_of(x) for x in src["steps"]] + [_text_of(x) for x in src.get("warnings") or []]
    i = rng.randrange(len(d["steps"]))
    d["steps"][i] = _with_text(d["steps"][i], _text_of(d["steps"][i]).rstrip() + " " + rng.choice(pool))
    save(p, d)
    return f"append an existing sentence to step {i + 1} of {p.name}"


def e_dup_step(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    i = rng.randrange(len(d["steps"]))
    new = d["steps"][i]
    if isinstance(new, dict):
        new = dict(new)
        new["id"] = f"{new.get('id', 'step')}-again-{rng.randint(100, 999)}"
    d["steps"].insert(rng.randrange(len(d["steps"]) + 1), new)
    save(p, d)
    return f"duplicate step {i + 1} of {p.name}"


def e_library_text(c, rng):
    p = c / "library.yaml"
    d = load(p)
    which = rng.choice(["title", "disclaimer", "subtitle", "short_disclaimer", "edition"])
    d[which] = f"{d.get(which) or ''} {words(rng, rng.randint(1, 4))}".strip()
    save(p, d)
    return f"library {which}"


def e_grow_chapter(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    for _ in range(rng.randint(3, 8)):
        d["steps"].append(
            _with_text(
                {"id": f"grow-{rng.randint(10000, 99999)}", "text": ""} if isinstance(d["steps"][0], dict) else "",
                (words(rng, 25) + ".").capitalize(),
            )
        )
    d["summary"] = d["summary"] + " " + (words(rng, 40) + ".").capitalize()
    save(p, d)
    return f"grow chapter {p.name} (steps + summary)"


def e_situations(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    w = d.setdefault("when_to_use", [])
    if w and rng.random() < 0.4:
        w.pop(rng.randrange(len(w)))
        if not w:
            del d["when_to_use"]
        what = "remove"
    else:
        w.append(("When " + words(rng, 6) + ".").capitalize())
        what = "add"
    save(p, d)
    return f"{what} situation in {p.name}"


def e_source(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    s = d.setdefault("sources", []) or []
    d["sources"] = s + [
        f"Author, {chr(65 + rng.randrange(26))}. ({rng.randint(1990, 2025)}). {words(rng, 5).title()}. Press."
    ]
    save(p, d)
    return f"add source in {p.name}"


def e_summary(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    d["summary"] = (words(rng, rng.randint(8, 30)) + ".").capitalize()
    save(p, d)
    return f"replace summary of {p.name}"


def e_key_phrase(c, rng):
    p = rng.choice(techs(c))
    d = load(p)
    kp = d.setdefault("key_phrases", []) or []
    text = "I wonder " + words(rng, 5) + "?"
    if kp and isinstance(kp[0], dict):
        kp.append({"cue": ("The client " + words(rng, 4)).capitalize(), "text": text})
    else:
        kp.append(text)
    d["key_phrases"] = kp
    save(p, d)
    return f"add key phrase to {p.name}"


def e_setting(c, rng):
    p = c / "library.yaml"
    d = load(p)
    s = d.setdefault("settings", {}) or {}
    d["settings"] = s
    k = rng.choice(["paper", "chapter_start", "card_size", "duplex"])
    choices = {
        "paper": ["a4", "letter"],
        "chapter_start": ["any", "right", "continuous"],
        "card_size": ["a6", "a7", "index-3x5", "business", "poker"],
        "duplex": ["long-edge", "short-edge", "fold", "none"],
    }[k]
    s[k] = rng.choice([x for x in choices if x != s.get(k)])
    save(p, d)
    return f"setting {k}={s[k]}"


def e_category_order(c, rng):
    p = c / "library.yaml"
    d = load(p)
    rng.shuffle(d["categories"])
    save(p, d)
    return "shuffle library categories"


def e_touch(c, rng):
    p = rng.choice(techs(c))
    p.write_text(p.read_text(encoding="utf-8") + "\n# comment\n", encoding="utf-8")
    return f"comment-only change in {p.name}"


EDITS = {
    "append_step": (e_append_step, 6),
    "add_step": (e_add_step, 3),
    "delete_step": (e_delete_step, 3),
    "reorder_steps": (e_reorder_steps, 2),
    "title": (e_title, 3),
    "long_title": (e_long_title, 3),
    "punct_title": (e_punct_title, 1),
    "similar": (e_similar, 3),
    "warning": (e_warning, 3),
    "category": (e_category, 2),
    "add_tech": (e_add_tech, 2),
    "del_tech": (e_del_tech, 2),
    "rare": (e_rare, 4),
    "swap_rare": (e_swap_rare, 3),
    "library_text": (e_library_text, 2),
    "grow": (e_grow_chapter, 2),
    "situations": (e_situations, 2),
    "source": (e_source, 1),
    "summary": (e_summary, 2),
    "key_phrase": (e_key_phrase, 1),
    "setting": (e_setting, 2),
    "category_order": (e_category_order, 1),
    "touch": (e_touch, 1),
    "dup_text": (e_dup_text, 3),
    "dup_step": (e_dup_step, 2),
}


# ---------------------------------------------------------------- build/compare
def run_build(content: Path, out: Path, only: str | None, jobs: str | None) -> tuple[int, str]:
    cmd = [sys.executable, "-m", "exporter", "build", "--content", str(content), "--out", str(out)]
    if only:
        cmd += ["--only", only]
    if jobs:
        cmd += ["--jobs", jobs]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1796541000"})
    return r.returncode, r.stdout + r.stderr


def files_of(root: Path) -> dict[str, Path]:
    out = {}
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if rel.parts[0] in IGNORE or not p.is_file():
            continue
        out[str(rel)] = p
    return out


def compare(a: Path, b: Path) -> list[str]:
    fa, fb = files_of(a), files_of(b)
    diffs = []
    for k in sorted(set(fa) | set(fb)):
        if k not in fa:
            diffs.append(f"only in cold: {k}")
        elif k not in fb:
            diffs.append(f"only in incremental: {k}")
        elif not filecmp.cmp(fa[k], fb[k], shallow=False):
            diffs.append(f"differs: {k}")
    return diffs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("src")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--only", default=None)
    ap.add_argument("--jobs-a", default=None)
    ap.add_argument("--jobs-b", default="1")
    ap.add_argument("--edits", default=None, help="comma list of edit names to use")
    ap.add_argument("--root", default="/tmp/stress")
    args = ap.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1796541000"

    work = Path(args.root) / args.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    W, A = work / "content", work / "A"
    shutil.copytree(args.src, W)
    if args.set:
        d = load(W / "library.yaml")
        s = d.setdefault("settings", {}) or {}
        d["settings"] = s
        for kv in args.set:
            k, v = kv.split("=", 1)
            s[k] = v
        save(W / "library.yaml", d)
    names = args.edits.split(",") if args.edits else list(EDITS)
    pool = [(n, EDITS[n][0]) for n in names for _ in range(EDITS[n][1])]
    rng = random.Random(args.seed)
    log = work / "log.txt"
    findings = work / "findings.txt"
    history: list[str] = []
    snapshots = work / "snapshots"
    snapshots.mkdir()
    shutil.copytree(W, snapshots / "0")

    def note(msg: str, to=log) -> None:
        with to.open("a", encoding="utf-8") as f:
            f.write(msg + "\n")
        print(f"[{args.name}] {msg}", flush=True)

    note(f"start src={args.src} seed={args.seed} set={args.set} only={args.only}")
    rc, out = run_build(W, A, args.only, args.jobs_a)
    if rc:
        note(f"INITIAL BUILD FAILED rc={rc}\n{out}", findings)
    bad = 0
    for rnd in range(1, args.rounds + 1):
        name, fn = rng.choice(pool)
        try:
            what = fn(W, rng)
        except Exception as exc:  # an edit that does not apply to this library
            what = f"{name} skipped ({exc!r})"
        history.append(what)
        cold = work / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(W, cold / "content")
        shutil.copytree(W, snapshots / str(rnd))
        rc_a, out_a = run_build(W, A, args.only, args.jobs_a)
        rc_b, out_b = run_build(cold / "content", cold / "B", args.only, args.jobs_b)
        problems = []
        if rc_a != rc_b:
            problems.append(f"exit codes differ: incremental {rc_a}, cold {rc_b}")
        if "Traceback" in out_a or "Traceback" in out_b or rc_a or rc_b:
            problems.append(f"rc_a={rc_a} rc_b={rc_b}\n--- A:\n{out_a[-3000:]}\n--- B:\n{out_b[-3000:]}")
        if rc_a and rc_a == rc_b:
            # the edit made content both builds refuse: note it, undo it, go on
            note(f"round {rnd}: {what} -> both builds refused it (rc {rc_a}); edit undone: {out_a.strip()[-300:]}")
            history.pop()
            state = (W / "deck-state.json").read_bytes() if (W / "deck-state.json").exists() else None
            shutil.rmtree(W)
            shutil.copytree(snapshots / str(rnd - 1), W)
            if state is not None:
                (W / "deck-state.json").write_bytes(state)
            shutil.rmtree(snapshots / str(rnd))
            shutil.copytree(W, snapshots / str(rnd))
            continue
        problems += compare(A, cold / "B")
        ds_a, ds_b = W / "deck-state.json", cold / "content" / "deck-state.json"
        if ds_a.exists() != ds_b.exists() or (ds_a.exists() and ds_a.read_bytes() != ds_b.read_bytes()):
            problems.append("differs: content/deck-state.json")
        status = "OK" if not problems else "DIFF"
        import re

        replayed = ";".join(
            m.group(0)
            for m in re.finditer(
                r"\d+ (?:parts?|pages?) drawn again, \d+ replayed|\bunchanged\b|Nothing changed", out_a
            )
        )
        note(f"round {rnd}: {what} -> {status} [{replayed}]")
        if problems:
            bad += 1
            keep = work / f"fail-{rnd}"
            shutil.copytree(A, keep / "A", ignore=None)
            shutil.copytree(cold, keep / "cold")
            (keep / "history.txt").write_text("\n".join(history) + "\n", encoding="utf-8")
            (keep / "out_a.txt").write_text(out_a, encoding="utf-8")
            (keep / "out_b.txt").write_text(out_b, encoding="utf-8")
            note(
                f"FINDING round {rnd} ({args.name}, seed {args.seed}, set {args.set}):\n  history: "
                + " | ".join(history)
                + "\n  "
                + "\n  ".join(problems),
                findings,
            )
            # continue from a clean state? no: keep going on the same A, as a user would
    note(f"done: {args.rounds} rounds, {bad} with problems")
    print(json.dumps({"name": args.name, "rounds": args.rounds, "bad": bad}))


if __name__ == "__main__":
    main()
