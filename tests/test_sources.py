"""Every source a user is pointed to is inside the repository (issue 14, context): docs/sources.md names the
original publications, and nothing points outside the repository any more."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest

from planner.paths import REPO_ROOT
from planner.scenario.fields import info
from planner.scenario.inputs import SECTIONS
from planner.scenario.template import DEFAULT_SENSITIVITY, DEFAULT_UNCERTAIN, TEMPLATE_SOURCES

OUTSIDE = ("../shared", "PARAMETERS.md")  # the compilation outside the repository the sources used to cite
TEXT_SUFFIXES = {".py", ".md", ".csv", ".txt", ".json", ".toml"}
SOURCES_MD = REPO_ROOT / "docs" / "sources.md"


def user_facing_files() -> list[Path]:
    """Every file under planner/, inputs/, docs/ and models/, and the README."""
    files = [REPO_ROOT / "README.md"]
    for folder in ("planner", "inputs", "docs", "models"):
        files += [p for p in (REPO_ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files


def texts(path: Path) -> list[str]:
    """The text a user can read in a file: a workbook's cell texts, a text file's content."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        out = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
               if isinstance(v, str)]
        wb.close()
        return out
    if path.suffix in TEXT_SUFFIXES:
        return [path.read_text(encoding="utf-8", errors="replace")]
    return []


def test_no_file_points_outside_the_repository():
    files = user_facing_files()
    assert any(p.suffix == ".xlsx" for p in files) and any(p.name == "inputs.md" for p in files)
    offenders = sorted({f"{p.relative_to(REPO_ROOT)}: {word}" for p in files for text in texts(p)
                        for word in OUTSIDE if word in text})
    assert offenders == []


def sections() -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"^## (.+)$", SOURCES_MD.read_text(), re.MULTILINE)}


def references(text: str) -> set[str]:
    """The section names a text cites as `docs/sources.md, <section>` (or `<section> and <section>`)."""
    out = set()
    for m in re.finditer(r"docs/sources\.md, ([^),;.(\n]+)", text):
        out |= {part.strip() for part in m.group(1).split(" and ") if not part.startswith("<")}
    return out


def test_every_cited_section_of_docs_sources_exists():
    declared = [info(f).source for cls in SECTIONS.values() for f in dataclasses.fields(cls)]
    notes = [r.note for r in DEFAULT_SENSITIVITY + DEFAULT_UNCERTAIN] + [src for _, src in TEMPLATE_SOURCES]
    files = [REPO_ROOT / "models" / "SOURCES.md", *sorted((REPO_ROOT / "models").glob("*.csv")),
             REPO_ROOT / "planner" / "examples.py"]
    cited = set().union(*(references(t) for t in declared + notes + [p.read_text() for p in files]))
    assert {"Finance", "PV", "Mining", "AI", "Estimates", "Uncertainty"} <= cited  # the references are really found
    assert cited - sections() == set()


@pytest.mark.parametrize("needle", ["NREL", "Lazard", "Viswanathan", "IPCC", "Seel", "Uptime Institute",
                                    "TheMinerMag", "Public Law 119-21", "Aghahosseini", "REopt.jl"])
def test_docs_sources_names_the_original_publications(needle):
    assert needle in SOURCES_MD.read_text()
