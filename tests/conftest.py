"""Shared test fixtures: the corpus beside the project, and one build of the real data per session."""

import shutil
from pathlib import Path

import pytest

from nhskg import resources
from nhskg.build import build
from nhskg.graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the corpus is expected at {CORPUS} (../shared/corpus beside the project)")
    return CORPUS


@pytest.fixture(scope="session")
def built(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("build")
    result = build(out, corpus=corpus)
    return out, result


@pytest.fixture(scope="session")
def kg(built) -> KnowledgeGraph:
    return KnowledgeGraph.open(built[0])


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the project's curated data, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(resources.DATA_DIR, target)
    return target


def labels(table, column) -> set[str]:
    return {str(value) for value in table.column(column)}


# One set of parameters per stored query, chosen so that each answer is non-empty.
STORED_QUERY_PARAMETERS = {
    "asof": {"date": "2020-04-01", "class": "CCG"},
    "body-count-by-year": {"class": "ClinicalCommissioningGroup"},
    "changes": {},
    "claims": {"by": "Roy Lilley"},
    "commissioning-models": {"before": "Clinical Commissioning Groups"},
    "document-bodies": {"document": "Where did all the flowers go?"},
    "documents": {},
    "entity-facts": {"entity": "Monitor"},
    "find-entity": {"name": "NCB"},
    "lineage": {"body": "13T"},
    "memberships": {"member": "07H"},
    "oversight": {"relation": "hosts"},
    "quantities": {"currency": "GBP"},
}
