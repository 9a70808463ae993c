"""Draw docs/scripts-and-symbols.png: category chips with emoji, body text with emoji, Hebrew and Arabic.

.venv/bin/python tools/scripts_picture.py   (needs pdftoppm from poppler-utils)
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import yaml
from reportlab.platypus import SimpleDocTemplate, Spacer

from exporter.model import Category
from exporter.pdf.glyphs.fonts import para_text
from exporter.pdf.lines.paragraphs import Paragraph
from exporter.pdf.pages.chapter import CategoryChips
from exporter.pdf.pages.styles import make_styles

REPO = Path(__file__).resolve().parent.parent
EMOJI_LIBRARY = REPO / "tests" / "fixtures" / "libraries" / "emoji" / "library.yaml"


def main() -> None:
    data = yaml.safe_load(EMOJI_LIBRARY.read_text(encoding="utf-8"))
    categories = [Category(c["name"], c["icon"], c["colour"]) for c in data["categories"]]
    english, hebrew, arabic = make_styles("en"), make_styles("he"), make_styles("ar")
    flowables = [
        CategoryChips(categories[:16]),
        Spacer(1, 4),
        Paragraph(
            para_text("In body text: breathe 🧘🏽‍♀️, mend ❤️‍🩹, ask 👩🏽‍⚕️, step 1️⃣ then 2️⃣, 🇺🇦 🇧🇷 🏴‍☠️."), english.body
        ),
        Paragraph(
            para_text("עצרו את השיחה 🧩 וחזרו אל הרגע שלפני השינוי: מה קרה בדיוק 2 דקות קודם ב־MBT?"),
            hebrew.step,
            bulletText="1.",
        ),
        Paragraph(para_text("هل يمكن أن نعود إلى الثواني الـ 10 التي سبقت ذلك؟ 🤝"), arabic.step, bulletText="2."),
    ]
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "picture.pdf"
        SimpleDocTemplate(
            str(pdf), pagesize=(420, 190), leftMargin=12, rightMargin=12, topMargin=10, bottomMargin=4
        ).build(flowables)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(REPO / "docs" / "scripts-and-symbols")],
            check=True,
        )


if __name__ == "__main__":
    main()
