"""The edit loop: how long `exporter build` takes cold, with nothing changed, and after one edit.

    .venv/bin/python bench/edit_loop.py [--size 500] [--repeat 3] [--keep DIR]

On a seeded synthetic library of --size techniques (exporter.testing.synthetic), each in a fresh
process: a cold build into an empty folder, a build with nothing changed, and a build after one
step of one technique was edited (a different technique each round), --repeat times each; the
medians, their ratios to the cold build, and each writer's own time in the median edit build.
Then one chapter grows by a page or more (a long paragraph added to a summary), which moves
every later chapter to other pages, and that build is timed too. Each edited build's outputs
are compared with a cold build of the same content, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from run import SEED, _run_once, describe_machine, exporter_command

EPOCH = "1796541000"
#: Targets from issue #26 (N=500, wall seconds).
MAX_NOTHING_CHANGED = 1.0
MAX_ONE_EDIT = 2.0


def build(content: Path, out: Path) -> tuple[float, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    seconds, _, stdout = _run_once([*exporter_command(), "build", "--content", str(content), "--out", str(out)], env)
    return seconds, stdout


def edit_one_step(content: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((content / "techniques").glob("*.yaml")))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = rng.randrange(len(data["steps"]))
    addition = f" Pause for {rng.randint(2, 9)} breaths."
    if isinstance(data["steps"][index], dict):
        data["steps"][index]["text"] += addition
    else:
        data["steps"][index] += addition
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"step {index + 1} of {path.stem}"


#: How much text a grown summary gains: about two thirds of a page (a summary holds 5,000 characters).
GROWTH_CHARACTERS = 3_600


def grow_one_chapter(content: Path, rng: random.Random) -> str:
    """A long paragraph added to one technique's summary, made of its own steps: its chapter gains
    a page or more, so every chapter after it starts on another page (the cards, which show no
    summary, stay). Its words are the library's own: a word new to the library may bring a glyph
    new to it (a kerned pair), which changes every page's glyph codes and redraws them all."""
    path = rng.choice(sorted((content / "techniques").glob("*.yaml")))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = " ".join(step["text"] if isinstance(step, dict) else step for step in data["steps"])
    grown = data["summary"] + " " + (steps + " ") * (GROWTH_CHARACTERS // len(steps) + 1)
    data["summary"] = grown[: len(data["summary"]) + GROWTH_CHARACTERS].rsplit(" ", 1)[0]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"summary of {path.stem} grown"


def handbook_pages(stdout: str) -> int:
    line = next(line for line in writer_lines(stdout) if line.split()[0] == "handbook")
    return int(line.split(" pages,")[0].split()[-1].replace(",", ""))


def same_outputs(first: Path, second: Path) -> bool:
    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".exporter-") for part in p.relative_to(folder).parts)
        }

    return files(first) == files(second)


def same_as_cold(content: Path, out: Path, reference: Path) -> bool:
    """Whether out holds what a cold build of content (a copy, built into an empty folder) writes."""
    shutil.copytree(content, reference / "content")
    build(reference / "content", reference / "out")
    same = same_outputs(out, reference / "out")
    shutil.rmtree(reference)
    return same


def writer_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("  ")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the library and outputs here and keep them")
    args = parser.parse_args(argv)
    from exporter.testing.synthetic import write_synthetic_content

    print(f"exporter edit loop: {describe_machine()}; synthetic library, seed {SEED}, N={args.size}", flush=True)
    with tempfile.TemporaryDirectory(prefix="exporter-edit-loop-") as scratch:
        work = args.keep or Path(scratch)
        content = write_synthetic_content(work / "library", args.size, SEED)
        out = work / "out"
        rng = random.Random(SEED)
        cold, unchanged, edited, summaries, identical = [], [], [], [], []
        grown: list[float] = []
        for round_number in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            cold.append(build(content, out)[0])
            unchanged.append(build(content, out)[0])
            which = edit_one_step(content, rng)
            seconds, stdout = build(content, out)
            edited.append(seconds)
            summaries.append(stdout)
            identical.append(same_as_cold(content, out, work / f"cold-{round_number}"))
            grown_which = grow_one_chapter(content, rng)
            grown_seconds, grown_stdout = build(content, out)
            grown.append(grown_seconds)
            moved = handbook_pages(grown_stdout) - handbook_pages(stdout)
            identical.append(same_as_cold(content, out, work / f"cold-grown-{round_number}"))
            print(
                f"  round {round_number + 1}: cold {cold[-1]:.1f} s, nothing changed {unchanged[-1]:.2f} s,"
                f" {which}: {seconds:.1f} s; {grown_which} (+{moved} pages): {grown_seconds:.1f} s;"
                f" same bytes as cold: {all(identical[-2:])}",
                flush=True,
            )
            print("    " + next(line for line in writer_lines(grown_stdout) if "handbook" in line).strip(), flush=True)
    cold_s, unchanged_s, edited_s = (statistics.median(v) for v in (cold, unchanged, edited))
    middle = summaries[sorted(range(len(edited)), key=edited.__getitem__)[len(edited) // 2]]
    print()
    print(f"| `exporter build`, N={args.size} (median of {args.repeat}) | seconds | x cold | target |")
    print("| --- | --- | --- | --- |")
    print(f"| cold | {cold_s:.1f} | 1.00 | |")
    print(f"| nothing changed | {unchanged_s:.2f} | {unchanged_s / cold_s:.3f} | <= {MAX_NOTHING_CHANGED:.0f} s |")
    print(f"| one step edited | {edited_s:.1f} | {edited_s / cold_s:.2f} | <= {MAX_ONE_EDIT:.0f} s |")
    grown_s = statistics.median(grown)
    print(f"| one chapter grown by a page or more | {grown_s:.1f} | {grown_s / cold_s:.2f} | |")
    print(f"\nedited and grown builds byte-identical to cold builds: {sum(identical)} of {len(identical)}")
    print("each writer in the median edit build (own time, writers in parallel):")
    print("\n".join(writer_lines(middle)))
    if not all(identical):
        sys.exit(1)


if __name__ == "__main__":
    main()
