"""The build: ontology + curated annotations (+ the corpus, to check anchors) -> reasoning -> build/."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF

from . import resources
from .annotations import load_annotations
from .errors import InputError
from .loader import Loader
from .reasoning import expand
from .store import named_graphs, union_graph, write_build
from .vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_REGISTER, NHSKG, bind_prefixes, graph_short_name


def load_ontology(directory: Path | None = None) -> Graph:
    graph = Graph()
    files = sorted((directory or resources.ONTOLOGY_DIR).glob("*.ttl"))
    if not files:
        raise InputError(str(directory or resources.ONTOLOGY_DIR), "no ontology (*.ttl) found")
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:
            raise InputError(str(path), f"cannot be parsed as Turtle: {error}") from None
    # OWL lists and anonymous axioms are blank nodes; canonical labels keep exports byte-identical.
    from rdflib.compare import to_canonical_graph
    canonical = Graph()
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def ontology_classes(ontology: Graph) -> set[str]:
    return {str(c)[len(str(NHSKG)):] for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(NHSKG))}


@dataclass
class BuildResult:
    dataset: Dataset
    graph_sizes: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    anchors_checked: bool = False
    register_report: list = field(default_factory=list)


def register_tables(data_dir: Path, ogd: Path | None, report: list | None = None):
    """The register from open-data files when given (its row report appended to `report`), else the
    compact copy shipped in data/register/."""
    from .register import derive_register, read_register_rows, register_report_lines, tables_from_register
    if ogd is not None:
        derived = derive_register(ogd)
        if report is not None:
            report.extend(register_report_lines(derived))
        return tables_from_register(derived)
    if (data_dir / "register").is_dir():
        return read_register_rows(data_dir / "register")
    return None


BUILD_STAGES = ("ontology and annotations", "register", "loading", "reasoning", "writing")


def build_dataset(data_dir: Path | None = None, corpus: Path | None = None, profile: str = "owl-rl",
                  ogd: Path | None = None, report: list | None = None, progress=None) -> Dataset:
    """Everything `nhskg build` makes, in memory; `progress` (if given) is called with a line as each stage
    starts and ends (`nhskg.scale.StageTimer`)."""
    from .register import register_graph
    from .scale import StageTimer
    timer = progress if isinstance(progress, StageTimer) else StageTimer(progress)
    data_dir = data_dir or resources.DATA_DIR
    ontology, annotations = timer.run(BUILD_STAGES[0], lambda: _ontology_and_annotations(data_dir))
    tables = timer.run(BUILD_STAGES[1], lambda: register_tables(data_dir, ogd, report))
    keys = {row["key"] for row in tables["bodies.csv"]} if tables is not None else set()

    def load() -> Dataset:
        loaded = Loader(annotations, corpus, keys).run()
        if tables is not None:
            register = loaded.graph(GRAPH_REGISTER)
            for triple in register_graph(tables):
                register.add(triple)
        ontology_graph = loaded.graph(GRAPH_ONTOLOGY)
        for triple in ontology:
            ontology_graph.add(triple)
        return loaded
    dataset = timer.run(BUILD_STAGES[2], load)
    inferred = timer.run(BUILD_STAGES[3], lambda: expand(union_graph(dataset), profile, ontology=ontology))
    inferred_graph = dataset.graph(GRAPH_INFERRED)
    for triple in inferred:
        inferred_graph.add(triple)
    bind_prefixes(dataset)
    return dataset


def _ontology_and_annotations(data_dir: Path):
    ontology = load_ontology()
    return ontology, load_annotations(data_dir, ontology_classes(ontology))


def build(out_dir: Path, data_dir: Path | None = None, corpus: Path | None = None,
          profile: str = "owl-rl", ogd: Path | None = None, progress=None) -> BuildResult:
    """Build and write TriG and N-Quads to out_dir; nothing is written unless everything loaded."""
    from .scale import StageTimer
    timer = StageTimer(progress)
    report: list[str] = []
    dataset = build_dataset(data_dir, corpus, profile, ogd, report, progress=timer)
    outputs = timer.run(BUILD_STAGES[4], lambda: write_build(dataset, out_dir))
    sizes = {graph_short_name(str(g.identifier)): len(g) for g in named_graphs(dataset)}
    return BuildResult(dataset, sizes, outputs, anchors_checked=corpus is not None, register_report=report)
