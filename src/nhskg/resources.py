"""Where the project's own files live: the ontology, shapes, curated data and stored queries."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# An editable install or a source checkout keeps ontology/, shapes/ and data/ at the repository's top;
# a wheel carries copies of them inside the package (see pyproject.toml).
_TOP = PACKAGE_DIR.parent.parent
_BUNDLED = PACKAGE_DIR / "_resources"
ROOT = _TOP if (_TOP / "ontology").is_dir() else _BUNDLED

ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "data"
QUERIES_DIR = PACKAGE_DIR / "queries"
DEFAULT_BUILD_DIR = Path("build")


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))
