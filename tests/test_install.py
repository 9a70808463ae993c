"""The package as a user installs it: a wheel in a fresh virtual environment, run from another
folder, builds the bundled content with its own fonts and labels, and says its version."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_CONTENT, REPO
from pypdf import PdfReader

import exporter


def run(*command: str | Path, cwd: Path | None = None) -> str:
    completed = subprocess.run([str(part) for part in command], capture_output=True, text=True, cwd=cwd, timeout=240)
    assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def venv_program(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    return folder / (name + (".exe" if os.name == "nt" else ""))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the built wheel in it; its dependencies come from this environment
    (a .pth line), so the test needs no network and checks the wheel's own files."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # setuptools writes build/ beside the sources: not in the repository
    shutil.copytree(REPO / "exporter", source / "exporter", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    wheels = root / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", wheels, source)
    (wheel,) = wheels.glob("technique_exporter-*.whl")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv_program(venv, "python")
    target = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (target / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel)
    return venv


def test_the_distribution_has_its_own_name_and_the_command_its_version(installed: Path) -> None:
    assert importlib.metadata.version("technique-exporter") == exporter.__version__
    printed = run(venv_program(installed, "exporter"), "--version").strip()
    assert printed == f"exporter {exporter.__version__}"


def test_the_installed_wheel_builds_the_bundled_content_from_another_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "a course folder"
    shutil.copytree(BUNDLED_CONTENT, elsewhere / "content")
    python = venv_program(installed, "python")
    where = run(python, "-c", "import exporter; print(exporter.__file__)", cwd=elsewhere).strip()
    assert Path(where).resolve().is_relative_to(installed.resolve()), "the wheel's copy runs, not the repository's"
    summary = run(venv_program(installed, "exporter"), "build", cwd=elsewhere)
    assert summary.splitlines()[-1].startswith("Built 4 outputs from 3 techniques")
    out = elsewhere / "output"
    handbook = PdfReader(out / "handbook.pdf")
    text = "".join(page.extract_text() for page in handbook.pages[:3])
    assert "Contents" in text  # a label from the wheel's catalogue
    fonts = {str(font) for page in handbook.pages for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts, "the wheel's fonts are embedded"
    assert sorted(p.name for p in (out / "handouts").iterdir()) == sorted(
        f"{p.stem}.pdf" for p in (elsewhere / "content" / "techniques").glob("*.yaml")
    )
    assert (out / "deck.apkg").stat().st_size > 0 and (out / "pocket-cards.pdf").stat().st_size > 0
