"""Cards of a right-to-left library (Hebrew here), as the official Anki renders them and Chromium
lays them out on a phone: every block runs right to left whatever letter it starts with.

A step-order card starts its lines with the Latin letters A, B, C...: laid out by its first
letter, each block would run left to right (the box's bar on the left, the letters on the left,
full stops at the wrong end, "2 דקות" torn from its sentence).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from card_rendering import browser, laid_out
from conftest import LIBRARY, technique, write_content
from test_deck import import_deck
from test_deck_practice import deck

HEBREW_LIBRARY: dict[str, Any] = {
    **LIBRARY,
    "title": "ספריית ניסוי",
    "language": "he",
    "categories": [{"name": "עבודה בחדר", "icon": "🔧", "colour": "#b5651d"}],
}
#: Five steps (a step order and a step sequence), two of them opening with a Latin letter or a number.
STEPS = [
    "עצרו את השיחה ושימו לב לשינוי.",
    "A-B: חזרו אל הרגע שלפני השינוי, בדיוק 2 דקות קודם.",
    "שאלו מה עבר על המטופל באותו רגע.",
    "2 משפטים לכל היותר: שתפו מה אתם חשבתם.",
    "חזרו יחד אל הנושא שעליו דיברתם.",
]


def hebrew_technique() -> dict[str, Any]:
    return technique(
        "pause",
        title="עצירה וחזרה",
        categories=["עבודה בחדר"],
        summary="עצירה של השיחה כשמשהו בה השתנה, כדי להבין אותו יחד.",
        steps=STEPS,
        when_to_use=["המטופל משתתק פתאום באמצע משפט.", "ABC של הפגישה השתבש."],
        key_phrases=["רגע, בואו נעצור כאן."],
        follow_up_questions=["מה עבר עליך באותו רגע?"],
        alternative_phrasings=["אפשר לחזור רגע אחורה?"],
        warnings=["אל תמהרו להסביר — קודם הקשיבו."],
        sources=["Author, A. (2020). A Book. Publisher."],
    )


#: Each block of the side: its class, its direction, and where its left and right borders are.
#: Then the letters of a step order (the context's, and the answer's) with their positions, how
#: far each shown step of a step sequence starts from its number, and the sources' directions.
PROBE = """
  const box = (e) => e.getBoundingClientRect();
  const blocks = [...document.querySelectorAll('.xc, .xc > div')].map((e) => ({
    cls: e.className, direction: getComputedStyle(e).direction,
    left: getComputedStyle(e).borderLeftWidth, right: getComputedStyle(e).borderRightWidth}));
  const listed = [...document.querySelectorAll('.xc-order-list li')].map((li) => ({
    letter: li.querySelector('.xc-letter').textContent, letterRight: box(li.querySelector('.xc-letter')).right,
    right: box(li).right, textLeft: box(li).left}));
  const order = [...document.querySelectorAll('.xc-answer .xc-key bdi')].map((e) => [e.textContent, box(e).left]);
  const numbered = [...document.querySelectorAll('.xc-step')].filter((e) => e.offsetParent)
    .map((e) => box(e).right - box(e.querySelector('.xc-number')).right);
  const sources = [...document.querySelectorAll('.xc-source bdi')].map((e) => getComputedStyle(e).direction);
  return {blocks, listed, order, numbered, sources};
"""


def test_every_card_of_a_hebrew_library_runs_right_to_left(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[hebrew_technique()], library=HEBREW_LIBRARY)
    deck(content, tmp_path / "out")
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, tmp_path / "out" / "deck.apkg")
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        kinds = {tag.split("::")[-1] for card in cards for tag in card.note().tags if tag.startswith("exporter::kind")}
        assert kinds == {"step", "key-phrase", "follow-up-question", "alternative-phrasing", "warning", "situation",
                         "step-order", "step-sequence"}  # fmt: skip
        sides = [side for card in cards for side in (card.question(), card.answer())]
        for side in sides:
            body = side.split("</style>")[-1]
            assert re.findall(r'<div[^>]*class="xc[^"]*"[^>]*>', body)
            assert set(re.findall(r'<div[^>]*class="xc[^>]*\bdir="(\w+)"', body)) == {"rtl"}, body
        (order,) = [c for c in cards if "exporter::kind::step-order" in c.note().tags]
        assert re.search(r"(?:<bdi>[A-E]</bdi> ← ){4}<bdi>[A-E]</bdi>", order.answer())  # A, then to its left
        if browser() is None:
            pytest.skip("no headless browser: the direction of each block is laid out by a browser only")
        for side, found in zip(sides, laid_out(sides, PROBE), strict=True):
            assert found["blocks"] and {b["direction"] for b in found["blocks"]} == {"rtl"}, side
            for block in found["blocks"]:
                if "xc-context" in block["cls"]:  # the bar on the right, where a line starts
                    assert (block["left"], block["right"]) == ("0px", "4px")
            assert all(abs(gap) < 1 for gap in found["numbered"]), side  # "4." first, even before "2 משפטים"
        (warning,) = [c for c in cards if "exporter::kind::warning" in c.note().tags]
        assert laid_out([warning.answer()], PROBE)[0]["sources"] == ["ltr"]  # an English reference stays English
        (front, back) = laid_out([order.question(), order.answer()], PROBE)
        for line in front["listed"]:  # each letter at the right end of its line, the text to its left
            assert abs(line["letterRight"] - line["right"]) < 1 and line["textLeft"] < line["letterRight"] - 40
        lefts = [left for _, left in back["order"]]
        assert len(lefts) == len(STEPS) and lefts == sorted(lefts, reverse=True)  # the first step at the right
    finally:
        col.close()
