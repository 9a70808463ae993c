"""Draw docs/images/deck-<kind>-{q,a}.png: one card of each kind of the bundled deck, front and back,
as a trainee sees it on a phone at night (390 pixels wide, night mode), rendered by the official
`anki` package and headless Chromium.

.venv/bin/python tools/deck_pictures.py   (needs chromium)
"""

from __future__ import annotations

import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from exporter.content.techniques import read_library
from exporter.options import BuildOptions
from exporter.writers.deck import write_deck

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from card_rendering import screenshot  # noqa: E402

IMAGES = REPO / "docs" / "images"
_TAG = re.compile(r"<[^>]+>")
#: Kind (as the card's Kind field names it), the header of the card to draw, the picture's name.
CARDS = [
    ("Step", "Repair of Therapeutic Rupture · Step 3 of 7", "step"),
    ("Key phrase", "Repair of Therapeutic Rupture · Key phrase", "completion"),
    ("Warning", "Stop, Rewind and Explore · Warning 2 of 2", "warning"),
    ("Situation", "Situation · When a moment in the session just went by too fast to…", "situation"),
    ("Order of the steps", "Stop, Rewind and Explore · Order of the steps", "step-order"),
    ("Steps one by one", "Stop, Rewind and Explore · Steps one by one", "step-sequence"),
]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="exporter-pictures-") as folder:
        content = Path(folder) / "content"
        shutil.copytree(REPO / "content", content)
        library, _ = read_library(content)
        write_deck(library, Path(folder) / "out", BuildOptions(state_dir=content))
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            request = ImportAnkiPackageRequest(
                package_path=str(Path(folder) / "out" / "deck.apkg"), options=ImportAnkiPackageOptions()
            )
            col.import_anki_package(request)
            for kind, header, name in CARDS:
                cards = [col.get_card(cid) for cid in col.find_cards(f'"Kind:{kind}"')]
                card = next(c for c in cards if html.unescape(_TAG.sub("", c.note()["Header"])).endswith(header))
                if name == "step-sequence":
                    card = next(c for c in cards if c.note().id == card.nid and c.ord == 2)  # step 3 of 5
                for side, rendered in (("q", card.question()), ("a", card.answer())):
                    target = IMAGES / f"deck-{name}-{side}.png"
                    screenshot(rendered, target)
                    print(target.relative_to(REPO))
        finally:
            col.close()


if __name__ == "__main__":
    main()
