"""`exporter import` in every bundled language: headings, "Source:" and the back-link recognised,
the language found (or given with --language) and written into a new library.yaml."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_importer import import_into, texts

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.errors import ExporterError
from exporter.importer import run_import
from exporter.importer.parse.headings import HEADING_FIELDS
from exporter.labels import bundled_languages, labels_for

LANGUAGE_PAGES = FIXTURES / "pages" / "languages"
LIBRARIES = FIXTURES / "libraries"
FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "40"))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def first_wording(language: str, key: str) -> str:
    return labels_for(language)(key).split("|")[0].strip()


def catalogue_page(language: str) -> str:
    """A page laid out as the catalogue prints it in language, with numbered placeholder text."""
    heading = lambda name: first_wording(language, f"importer.headings.{name}")  # noqa: E731
    words = [w.strip() for w in labels_for(language)("importer.disclaimer_words").split("|")]
    disclaimer = f"Zzz {words[0]} zzz {words[1]} zzz; zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz zzz."
    return "\n".join(
        [
            f"← {first_wording(language, 'importer.back_link')}",
            "",
            "Zeta Omega",
            "",
            "Zeta Omega",
            "🔧 Alpha 👥 Beta",
            "",
            "Summary text of the page.",
            "",
            heading("steps"),
            "",
            "  1. Step one",
            "  2. Step two",
            "",
            heading("when_to_use"),
            "",
            "  • Use one",
            "",
            heading("key_phrases"),
            "",
            "Phrase one.",
            "",
            heading("follow_up_questions"),
            "",
            "Question one?",
            "",
            heading("alternative_phrasings"),
            "",
            "Phrasing one.",
            "",
            heading("warnings"),
            "",
            "  • ⚠️ Do not X — because Y",
            "",
            f"{first_wording(language, 'importer.source')}: Author, A. (2020). Book. Press.",
            "",
            heading("similar"),
            "",
            disclaimer,
            "",
        ]
    )


@pytest.mark.parametrize("language", bundled_languages())
def test_a_page_in_each_bundled_language_fills_every_field(tmp_path: Path, language: str) -> None:
    page = tmp_path / f"{language}.txt"
    page.write_text(catalogue_page(language), encoding="utf-8")
    content = tmp_path / "content"
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    library, _ = read_library(content)
    assert library.language == language
    assert library.title == labels_for(language)("importer.new_library_title")
    assert library.disclaimer.startswith("Zzz")
    technique = library.technique("zeta-omega")
    assert technique.title == "Zeta Omega"
    assert technique.categories == ("Alpha", "Beta")
    assert technique.summary == "Summary text of the page."
    assert texts(technique, "steps") == ["Step one", "Step two"]
    assert texts(technique, "when_to_use") == ["Use one"]
    assert texts(technique, "key_phrases") == ["Phrase one."]
    assert texts(technique, "follow_up_questions") == ["Question one?"]
    assert texts(technique, "alternative_phrasings") == ["Phrasing one."]
    assert texts(technique, "warnings") == ["Do not X — because Y"]
    assert technique.sources == ("Author, A. (2020). Book. Press.",)


@dataclass(frozen=True)
class RealPage:
    """A catalogue page written in its language by a person (not built from the label catalogue,
    so a misspelt heading there cannot be both written and expected), and what it says."""

    page: Path
    technique_id: str
    #: how many entries each section has; "similar" counts the titles under "Similar techniques"
    counts: dict[str, int]
    first_step: str


def _counts(
    steps: int, when: int, phrases: int, questions: int, alternatives: int, warnings: int, similar: int
) -> dict[str, int]:
    return {
        "steps": steps,
        "when_to_use": when,
        "key_phrases": phrases,
        "follow_up_questions": questions,
        "alternative_phrasings": alternatives,
        "warnings": warnings,
        "sources": 1,
        "similar": similar,
    }


REAL_PAGES = {
    "en": RealPage(
        FIXTURES / "pages" / "clean.txt",
        "grounding-through-the-senses",
        _counts(steps=5, when=2, phrases=1, questions=2, alternatives=1, warnings=2, similar=2),
        "Notice that the client is flooded: rushed speech, a fixed stare, shallow breathing",
    ),
    "de": RealPage(
        LANGUAGE_PAGES / "de.txt",
        "stoppen-zuruckspulen-erkunden",
        _counts(steps=5, when=2, phrases=2, questions=2, alternatives=1, warnings=2, similar=2),
        "Unterbrechen Sie behutsam, wenn das Mentalisieren abbricht: „Moment, können wir hier kurz anhalten?“",
    ),
    "ru": RealPage(
        LANGUAGE_PAGES / "ru.txt",
        "vosstanovlenie-posle-razryva-alyansa",
        _counts(steps=7, when=3, phrases=1, questions=2, alternatives=1, warnings=3, similar=2),
        "Замечайте признаки разрыва: клиент замыкается, внезапно становится враждебным, пассивным или отстраняется",
    ),
    "es": RealPage(
        LANGUAGE_PAGES / "es.txt",
        "postura-de-no-saber",
        _counts(steps=5, when=3, phrases=1, questions=2, alternatives=1, warnings=2, similar=2),
        "Cuando el paciente cuente algo con total certeza, detente antes de interpretarlo",
    ),
    "fr": RealPage(
        LANGUAGE_PAGES / "fr.txt",
        "reparer-une-rupture-de-l-alliance-therapeutique",
        _counts(steps=5, when=2, phrases=1, questions=2, alternatives=2, warnings=2, similar=2),
        "Repérez les signes de rupture : le patient se ferme, devient soudain hostile, passif ou distant",
    ),
    "it": RealPage(
        LANGUAGE_PAGES / "it.txt",
        "stop-riavvolgi-ed-esplora",
        _counts(steps=5, when=2, phrases=2, questions=2, alternatives=1, warnings=2, similar=2),
        "Interrompere con delicatezza non appena la mentalizzazione si inceppa: "
        "«Aspetti, possiamo fermarci un attimo?»",
    ),
    "uk": RealPage(
        LANGUAGE_PAGES / "uk.txt",
        "zazemlennya-cherez-vidchuttya",
        _counts(steps=6, when=2, phrases=1, questions=2, alternatives=1, warnings=2, similar=2),
        "Помітьте ознаки перевантаження: прискорене мовлення, застиглий погляд, поверхневе дихання",
    ),
    # The importer makes ids from Latin, Cyrillic and Greek letters only: these pages' titles carry
    # the technique's English name in parentheses, as bilingual catalogues often print it.
    "he": RealPage(
        LANGUAGE_PAGES / "he.txt",
        "not-knowing-stance",
        _counts(steps=5, when=2, phrases=1, questions=2, alternatives=1, warnings=2, similar=2),
        "כשהמטופל מתאר משהו בוודאות מוחלטת, עצרו לפני שאתם מפרשים",
    ),
    "ar": RealPage(
        LANGUAGE_PAGES / "ar.txt",
        "rupture-repair",
        _counts(steps=6, when=3, phrases=1, questions=2, alternatives=1, warnings=2, similar=2),
        "لاحظ علامات التصدع: انغلاق المريض أو عدائيته المفاجئة أو سلبيته أو انسحابه",
    ),
}


@pytest.mark.parametrize("language", bundled_languages())
def test_the_real_page_in_each_bundled_language_imports_every_entry_of_every_section(
    tmp_path: Path, language: str
) -> None:
    assert language in REAL_PAGES, f"write a real catalogue page in {language} under {LANGUAGE_PAGES}"
    real = REAL_PAGES[language]
    content = tmp_path / "content"
    result = import_into(content, real.page)
    assert result.exit_code == 0, result.output
    # Its titles name techniques not in this import: one warning for each, and no other message.
    similar_warnings = [
        line for line in result.stderr.splitlines() if ": similar: warning: no technique titled" in line
    ]
    assert len(similar_warnings) == real.counts["similar"], result.stderr
    assert result.stderr.splitlines() == similar_warnings
    assert yaml.safe_load((content / "library.yaml").read_text(encoding="utf-8"))["language"] == language
    library, _ = read_library(content)
    assert library.language == language
    assert [t.id for t in library.techniques] == [real.technique_id]
    technique = library.technique(real.technique_id)
    found = {name: len(technique.items(name)) for name in real.counts if name not in ("sources", "similar")}
    found |= {"sources": len(technique.sources), "similar": len(similar_warnings)}
    assert found == real.counts
    assert technique.steps[0].text == real.first_step
    assert library.disclaimer == real.page.read_text(encoding="utf-8").strip().splitlines()[-1]


def test_russian_page_imports_every_section_into_its_field(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = import_into(content, LANGUAGE_PAGES / "ru.txt")
    assert result.exit_code == 0, result.output
    assert f"created {(content / 'library.yaml').as_posix()} (title 'Библиотека техник': change it)" in result.stdout
    library, _ = read_library(content)
    assert library.language == "ru"
    assert [(c.name, c.icon) for c in library.categories] == [("Работа с проблемами", "🔧"), ("Межличностное", "👥")]
    assert library.disclaimer.startswith("Материалы носят информационно-образовательный характер")
    rupture = library.technique("vosstanovlenie-posle-razryva-alyansa")
    assert rupture.title == "Восстановление после разрыва альянса"
    assert rupture.summary.startswith("Вмешательство в МБТ для тех моментов")
    assert len(rupture.steps) == 7
    assert rupture.steps[1].text == "Остановитесь и назовите перемену: «Кажется, между нами что-то сейчас изменилось»"
    assert rupture.steps[4].text == "Не оправдывайтесь — даже если реакция кажется вам чрезмерной"
    assert texts(rupture, "when_to_use")[2] == "Когда клиент недоволен терапией или терапевтом"
    assert texts(rupture, "key_phrases") == ["Кажется, я только что ошибся. Наверное, я выразился неудачно."]
    assert len(rupture.follow_up_questions) == 2
    assert len(rupture.alternative_phrasings) == 1
    assert texts(rupture, "warnings")[0] == (
        "Не защищайтесь — это останавливает ментализацию. Признать ошибку — сила, а не слабость"
    )
    assert rupture.sources[0].startswith("Bateman A. W., Fonagy P. (2016).")
    lines = (LANGUAGE_PAGES / "ru.txt").read_text(encoding="utf-8").splitlines()
    similar_line = lines.index("Позиция незнания") + 1
    assert f"ru.txt:{similar_line}: similar: warning: no technique titled 'Позиция незнания'" in result.stderr


def test_german_page_imports_every_section_into_its_field(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = import_into(content, LANGUAGE_PAGES / "de.txt")
    assert result.exit_code == 0, result.output
    library, _ = read_library(content)
    assert library.language == "de" and library.title == "Technikbibliothek"
    stop = library.technique("stoppen-zuruckspulen-erkunden")
    assert stop.categories == ("Problembearbeitung", "Therapeutische Haltung")
    assert [library.category(name).icon for name in stop.categories] == ["🔧", "🧠"]
    assert texts(stop, "steps")[0] == (
        "Unterbrechen Sie behutsam, wenn das Mentalisieren abbricht: „Moment, können wir hier kurz anhalten?“"
    )
    assert texts(stop, "steps")[2] == (
        "Erkunden Sie diesen Moment langsam – was geschah, was jede Person fühlte und dachte"
    )
    assert texts(stop, "when_to_use") == [
        "Wenn der Bericht hastig, starr oder von Gefühlen überwältigt wird",
        "Wenn in der Sitzung selbst eine Begegnung schiefgeht",
    ]
    assert texts(stop, "key_phrases") == [
        "Lassen Sie uns kurz anhalten und zurückspulen.",
        "Können wir zu dem Moment kurz davor zurückgehen?",
    ]
    assert len(stop.follow_up_questions) == 2 and len(stop.alternative_phrasings) == 1
    assert texts(stop, "warnings")[1].startswith("Spulen Sie nicht zurück, um einen Schuldigen zu finden")
    assert stop.sources[0].startswith("Bateman, A. W., & Fonagy, P. (2016).")
    assert library.disclaimer.startswith("Diese Seiten fassen veröffentlichte Fachliteratur")


@pytest.mark.parametrize("copy", ["windows-1251", "windows-1251-plain-spaces", "koi8-r", "cp866", "mac-cyrillic"])
def test_mojibake_copies_import_to_exactly_the_clean_technique(tmp_path: Path, copy: str) -> None:
    clean = import_into(tmp_path / "clean", LANGUAGE_PAGES / "ru.txt")
    garbled = import_into(tmp_path / "garbled", LANGUAGE_PAGES / f"ru-{copy}.txt")
    assert clean.exit_code == garbled.exit_code == 0, garbled.output
    assert "repaired" in garbled.stdout and "garbled character" in garbled.stdout
    for name in ("library.yaml", "techniques/vosstanovlenie-posle-razryva-alyansa.yaml"):
        assert (tmp_path / "garbled" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


def test_double_mojibake_is_refused_with_a_message_that_says_so(tmp_path: Path) -> None:
    content = tmp_path / "content"
    page = LANGUAGE_PAGES / "ru-double-windows-1251.txt"
    result = import_into(content, page)
    assert result.exit_code == 1
    assert f"{page.as_posix()}:1: page: the page was garbled twice" in result.stderr
    assert "Copy the page from the catalogue again and save it as UTF-8" in result.stderr
    assert f"1 page could not be imported ({page.as_posix()})" in result.stderr
    assert "Traceback" not in result.output
    assert not content.exists()


def test_language_option_reads_the_page_in_that_language_only(tmp_path: Path) -> None:
    given = import_into(tmp_path / "given", LANGUAGE_PAGES / "ru.txt", language="ru")
    assert given.exit_code == 0, given.output
    assert read_library(tmp_path / "given")[0].language == "ru"

    wrong = import_into(tmp_path / "wrong", LANGUAGE_PAGES / "de.txt", language="ru")
    assert wrong.exit_code == 1
    assert "de.txt:1: page: not a catalogue page in Русский (--language ru): none of the sections" in wrong.stderr
    assert "'Пошаговое руководство'" in wrong.stderr
    assert "its headings are in Deutsch: use --language de, or leave the option out" in wrong.stderr


def test_an_unknown_language_option_is_a_usage_error(tmp_path: Path) -> None:
    result = import_into(tmp_path / "content", LANGUAGE_PAGES / "ru.txt", language="xx")
    assert result.exit_code == 2
    assert "--language" in result.output and "'xx' is not one of" in result.output


def test_the_back_link_without_its_arrow_is_not_taken_for_the_title(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text((LANGUAGE_PAGES / "ru.txt").read_text(encoding="utf-8").replace("← Техники", "Техники"), "utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    assert read_library(tmp_path / "content")[0].technique("vosstanovlenie-posle-razryva-alyansa")


def test_a_page_into_a_library_in_its_language_uses_its_categories_and_titles(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(LIBRARIES / "ru", content)
    target = content / "techniques" / "vosstanovlenie-posle-razryva.yaml"
    result = import_into(content, LANGUAGE_PAGES / "ru.txt", force=True)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert "library.yaml" not in result.stdout  # nothing to add to it
    assert f"replaced {target.as_posix()} from" in result.stdout
    library, _ = read_library(content)
    rupture = library.technique("vosstanovlenie-posle-razryva")
    assert rupture.steps[0].text.startswith("Замечайте признаки разрыва")
    assert rupture.categories == ("Работа с проблемами", "Межличностное")
    assert rupture.similar == ("stop-peremotka-issledovanie", "pozitsiya-neznaniya")
    assert len(library.techniques) == 3


def test_pages_in_another_language_than_the_library_are_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(LIBRARIES / "de", content)
    result = import_into(content, LANGUAGE_PAGES / "ru.txt")
    assert result.exit_code == 0, result.output
    line = (content / "library.yaml").read_text(encoding="utf-8").splitlines().index("language: de") + 1
    assert (
        f"library.yaml:{line}: language: warning: the pages are in Русский (ru) but the library's language is 'de'"
    ) in result.stderr


def test_a_library_without_a_language_gets_the_pages_language(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "techniques").mkdir(parents=True)
    (content / "library.yaml").write_text("# ours\ntitle: Unsere Bibliothek\ndisclaimer: Nur zum Lernen.\n", "utf-8")
    result = import_into(content, LANGUAGE_PAGES / "de.txt")
    assert result.exit_code == 0, result.output
    assert "added language: de and categories Problembearbeitung, Therapeutische Haltung" in result.stdout
    text = (content / "library.yaml").read_text(encoding="utf-8")
    assert text.startswith("# ours\ntitle: Unsere Bibliothek\n")
    assert yaml.safe_load(text)["language"] == "de"


def test_pages_in_several_languages_are_reported(tmp_path: Path) -> None:
    result = import_into(tmp_path / "content", LANGUAGE_PAGES / "de.txt", LANGUAGE_PAGES / "ru.txt")
    assert result.exit_code == 0, result.output
    assert "warning: the pages are in several languages (de: 1, ru: 1); the library's language is 'de'" in (
        result.stderr
    )


@pytest.mark.parametrize("language", ["de", "ru"])
def test_sample_libraries_pass_strict_validation(language: str) -> None:
    result = run("validate", "--strict", "--content", str(LIBRARIES / language))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 3 techniques, 0 warnings.")
    library, _ = read_library(LIBRARIES / language)
    assert library.language == language
    assert {c.icon for c in library.categories} == {"🔧", "👥", "🧠"}


@pytest.mark.parametrize(
    ("codec", "name"), [("cp1251", "Windows-1251 (Cyrillic)"), ("koi8_r", "KOI8-R (Cyrillic)")], ids=["1251", "koi8"]
)
def test_a_russian_page_saved_in_an_older_encoding_is_read_in_it(tmp_path: Path, codec: str, name: str) -> None:
    # These encodings have no emoji or warning sign: the page carries symbols they do have.
    text = (LANGUAGE_PAGES / "ru.txt").read_text(encoding="utf-8")
    text = text.replace("🔧", "©").replace("👥", "■" if codec == "koi8_r" else "®").replace("⚠️ ", "")
    page = tmp_path / "saved.txt"
    page.write_bytes(text.replace("←", "<-").encode(codec, "replace"))
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    assert f"saved.txt:1: page: warning: not UTF-8; read it as {name}" in result.stderr
    technique = read_library(tmp_path / "content")[0].technique("vosstanovlenie-posle-razryva-alyansa")
    assert technique.title == "Восстановление после разрыва альянса"
    assert texts(technique, "steps")[5] == "Используйте сам разрыв как материал для совместной ментализации"


def test_french_typography_is_read_source_space_colon_and_curly_apostrophes(tmp_path: Path) -> None:
    text = catalogue_page("fr").replace("Source: ", "Source\u202f: ").replace("Quand l'utiliser", "Quand l’utiliser")
    page = tmp_path / "fr.txt"
    page.write_text(text, encoding="utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    technique = read_library(tmp_path / "content")[0].technique("zeta-omega")
    assert texts(technique, "when_to_use") == ["Use one"]
    assert technique.sources == ("Author, A. (2020). Book. Press.",)


_FUZZ_WORDS = st.text(
    alphabet=st.sampled_from(list("abc ABC Кирил ёъ Ελλά éüß <>&{}\"'“”«»„:#-—…•⚠️🔧👥1.?!")), min_size=1, max_size=40
)


@st.composite
def page_in_some_language(draw: st.DrawFn) -> str:
    language = draw(st.sampled_from(bundled_languages()))
    headings = [first_wording(language, f"importer.headings.{name}") for name in HEADING_FIELDS if name != "sources"]
    lines = [draw(_FUZZ_WORDS), "", draw(st.sampled_from(["🔧 Alpha 👥 Beta", "🧠 Мысль", ""])), "", draw(_FUZZ_WORDS)]
    for _ in range(draw(st.integers(1, 7))):
        lines += ["", draw(st.sampled_from([*headings, "Unknown Part"])), ""]
        lines += [draw(st.sampled_from(["", "  1. ", "  • ", "  • ⚠️ "])) + draw(_FUZZ_WORDS) for _ in range(2)]
    if draw(st.booleans()):
        lines += ["", f"{first_wording(language, 'importer.source')}: {draw(_FUZZ_WORDS)}"]
    text = "\n".join(lines)
    code_page = draw(st.sampled_from([None, "cp1251", "koi8_r", "cp866", "mac_cyrillic"]))
    if code_page is not None:
        text = "".join(bytes([b]).decode(code_page, "ignore") or chr(b) for b in text.encode("utf-8"))
    return text


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_in_some_language())
def test_fuzz_pages_in_any_language_import_to_valid_content_or_fail_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "page.txt").write_text(text, encoding="utf-8")
        try:
            run_import([root / "page.txt"], root / "content", force=False)
        except ExporterError:
            return
        library, _ = read_library(root / "content")
        assert len(library.techniques) == 1


def test_the_librarys_label_overrides_teach_the_importer_its_catalogues_wording(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        (LANGUAGE_PAGES / "de.txt").read_text(encoding="utf-8").replace("Schritt-für-Schritt-Anleitung", "Ablauf"),
        encoding="utf-8",
    )
    plain = tmp_path / "plain"
    shutil.copytree(LIBRARIES / "de", plain)
    refused = import_into(plain, page)
    assert refused.exit_code == 1
    assert "page.txt:10: section: warning: unknown section 'Ablauf'" in refused.stderr

    taught = tmp_path / "taught"
    shutil.copytree(LIBRARIES / "de", taught)
    with (taught / "library.yaml").open("a", encoding="utf-8") as library:
        library.write('labels:\n  importer.headings.steps: "Ablauf | Schritt-für-Schritt-Anleitung"\n')
    assert run("validate", "--content", str(taught)).exit_code == 0
    result = import_into(taught, page)
    assert result.exit_code == 1  # the technique exists and differs: kept, as always
    assert "skipped" in result.stdout and "unknown section" not in result.stderr
    forced = import_into(taught, page, force=True)
    assert forced.exit_code == 0, forced.output
    stop = read_library(taught)[0].technique("stoppen-zurueckspulen-erkunden")
    assert len(stop.steps) == 5


def test_a_page_in_another_language_may_keep_the_english_disclaimer(tmp_path: Path) -> None:
    english = (FIXTURES / "pages" / "clean.txt").read_text(encoding="utf-8").strip().splitlines()[-1]
    text = (LANGUAGE_PAGES / "ru.txt").read_text(encoding="utf-8").strip().splitlines()
    page = tmp_path / "page.txt"
    page.write_text("\n".join([*text[:-1], english, ""]), encoding="utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    assert read_library(tmp_path / "content")[0].disclaimer == english


def test_an_unknown_heading_in_hebrew_is_said_and_not_merged_into_the_section_above(tmp_path: Path) -> None:
    """Hebrew and Arabic have no capital letters: a heading the catalogue does not know is still one."""
    text = (LANGUAGE_PAGES / "he.txt").read_text(encoding="utf-8")
    page = tmp_path / "he.txt"
    pitfalls = "מלכודות נפוצות\n\n  • לדבר יותר מדי\n  • לשכוח לשאול\n\n"
    page.write_text(text.replace("משפטי מפתח\n", pitfalls + "משפטי מפתח\n", 1), encoding="utf-8")
    result = run("import", str(page), "--content", str(tmp_path / "content"))
    assert result.exit_code == 0, result.output
    assert "section: warning: unknown section 'מלכודות נפוצות'; its 2 lines were left out" in result.output
    (technique,) = read_library(tmp_path / "content")[0].techniques
    assert len(technique.when_to_use) == 2  # the section above keeps only its own entries
