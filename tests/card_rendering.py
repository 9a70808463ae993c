"""Flash cards as a trainee sees them on a phone: rendered height and pictures.

A card side is the HTML the official `anki` package renders (`card.question()`, `card.answer()`),
shown as Anki shows it: in a page whose body is the card (`class="card nightMode"`), 390 CSS
pixels wide (a common phone), in night mode. Heights are measured in headless Chromium when it is
installed (each side in its own 390-pixel frame, so the style's phone rules apply); without a
browser they are estimated from the text (`estimated_height`), which errs on the tall side.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

PHONE_WIDTH = 390
#: The visible height of that phone's screen (390 x 844 CSS pixels).
PHONE_HEIGHT = 844
#: No card side may be taller than this.
MAX_SIDE_HEIGHT = 2 * PHONE_HEIGHT


def browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def page(side: str, night: bool = True) -> str:
    """One card side as Anki's reviewer shows it (the body is the card)."""
    mode = "card nightMode night_mode" if night else "card"
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width={PHONE_WIDTH}"></head>'
        f'<body class="{mode}" style="margin:0">{side}</body></html>'
    )


def side_heights(sides: list[str]) -> list[int]:
    """The rendered height in CSS pixels of each side, 390 pixels wide."""
    chromium = browser()
    if chromium is None:
        return [estimated_height(side) for side in sides]
    frames = "".join(
        f'<iframe style="width:{PHONE_WIDTH}px;height:1px;border:0;display:block" srcdoc="{html.escape(page(side))}">'
        "</iframe>"
        for side in sides
    )
    script = (
        "<script>window.addEventListener('load', () => { for (const f of document.querySelectorAll('iframe'))"
        " f.dataset.h = f.contentDocument.documentElement.scrollHeight; document.body.dataset.done = '1'; });"
        "</script>"
    )
    dom = _laid_out_dom(chromium, frames + script)
    heights = [int(value) for value in re.findall(r'data-h="(\d+)"', dom)]
    assert len(heights) == len(sides)
    return heights


def _laid_out_dom(chromium: str, body: str) -> str:
    """The page's DOM once Chromium has laid body out and its script has marked the body done."""
    with tempfile.TemporaryDirectory(prefix="exporter-cards-") as folder:
        path = Path(folder) / "sides.html"
        path.write_text(f'<!doctype html><html><body style="margin:0">{body}</body></html>', "utf-8")
        dom = _run(chromium, "--virtual-time-budget=20000", "--dump-dom", path.as_uri())
    if 'data-done="1"' not in dom:
        raise RuntimeError("Chromium did not finish laying out the cards")
    return dom


def laid_out(sides: list[str], script: str) -> list[Any]:
    """What `script` finds in each side as Chromium lays it out 390 pixels wide: script is the
    body of a JavaScript function of the side's `document` that returns a JSON-able value."""
    chromium = browser()
    assert chromium is not None
    frames = "".join(
        f'<iframe style="width:{PHONE_WIDTH}px;height:{PHONE_HEIGHT}px;border:0;display:block" '
        f'srcdoc="{html.escape(page(side))}"></iframe>'
        for side in sides
    )
    probe = (
        "<script>window.addEventListener('load', () => { const find = (document) => {" + script + "};"
        " for (const f of document.querySelectorAll('iframe'))"
        " f.dataset.found = JSON.stringify(find(f.contentDocument)); document.body.dataset.done = '1'; });"
        "</script>"
    )
    dom = _laid_out_dom(chromium, frames + probe)
    found = [json.loads(html.unescape(value)) for value in re.findall(r'data-found="([^"]*)"', dom)]
    assert len(found) == len(sides)
    return found


def screenshot(side: str, target: Path, night: bool = True) -> None:
    """A PNG of one side as a phone shows it: 390 pixels wide, as tall as the side."""
    chromium = browser()
    assert chromium is not None
    (height,) = side_heights([side])
    with tempfile.TemporaryDirectory(prefix="exporter-cards-") as folder:
        source = Path(folder) / "side.html"
        source.write_text(page(side, night), "utf-8")
        picture = Path(folder) / "side.png"
        # Headless windows are at least 500 pixels wide: the side is framed 390 wide and cropped.
        frame = (
            f'<!doctype html><html><body style="margin:0;background:#1e2127"><iframe src="{source.as_uri()}" '
            f'style="width:{PHONE_WIDTH}px;height:{height}px;border:0;display:block"></iframe></body></html>'
        )
        framed = Path(folder) / "frame.html"
        framed.write_text(frame, "utf-8")
        _run(chromium, f"--window-size=600,{height}", f"--screenshot={picture}", "--hide-scrollbars", framed.as_uri())
        from PIL import Image

        with Image.open(picture) as image:
            image.crop((0, 0, PHONE_WIDTH, height)).save(target, optimize=True)


def _run(chromium: str, *args: str) -> str:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


#: Text metrics of the card style on a phone (18 px type, 1.45 line height, 10 px padding).
_LINE = 18 * 1.45
_CHARACTER = 18 * 0.56
_WIDTH = PHONE_WIDTH - 2 * 10 - 2 * 12 - 4
_BLOCK = 24


def estimated_height(side: str) -> int:
    """A side's height from its text, without a browser: each block's characters over the line
    width (a wide sans-serif), plus the margins of each block. Folded text (<details>) counts as
    its summary line only; hidden steps of a step sequence are counted too."""
    body = re.sub(r"<style>.*?</style>", "", side, flags=re.S)
    body = re.sub(r"<details[^>]*>.*?</details>", "<div>more</div>", body, flags=re.S)
    blocks = re.split(r"<(?:div|br|li|hr|ol)[^>]*>", body)
    height = 2 * 10
    for block in blocks:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        if text:
            height += math.ceil(len(text) * _CHARACTER / _WIDTH) * _LINE + _BLOCK
    return int(height)
