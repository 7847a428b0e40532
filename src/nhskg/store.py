"""Writing and reading the built graph: deterministic serialisations, written atomically."""

import os
import tempfile
import weakref
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row

from .errors import InputError
from .vocab import GRAPH, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes

TRIG_NAME = "nhskg.trig"
NQUADS_NAME = "nhskg.nq"


def atomic_write(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder, so no reader sees half of it."""
    atomic_write_all({path: text})


def atomic_write_all(texts: dict[Path, str | bytes]) -> None:
    """Write several files (text, or bytes as they are) through temporary files, renamed into place only once
    every one is written, so a failure part of the way (a full disk, say) leaves all of them as they were."""
    temporaries: dict[Path, str] = {}
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporaries[path] = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            if isinstance(text, bytes):
                with os.fdopen(handle, "wb") as stream:
                    stream.write(text)
            else:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporaries[path], 0o666 & ~umask)  # mkstemp makes files private; outputs are ordinary files
        for path, temporary in temporaries.items():
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries.values():
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The dataset's non-empty named graphs in IRI order (the default graph is never used)."""
    graphs = [g for g in dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)
              and g.identifier != URIRef("urn:x-rdflib:default")]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _sorted_copy(graph: Graph) -> Graph:
    copy = Graph(identifier=graph.identifier)
    bind_prefixes(copy)
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


def to_nquads(dataset: Dataset, graph_names: list[URIRef] | None = None) -> str:
    lines = []
    for graph in named_graphs(dataset):
        if graph_names is not None and graph.identifier not in graph_names:
            continue
        lines.extend(_nq_row(triple, graph.identifier) for triple in graph)
    return "".join(sorted(lines))


def to_ntriples(graph: Graph) -> str:
    return "".join(sorted(_nt_row(triple) for triple in graph))


def to_turtle(graph: Graph) -> str:
    return _sorted_copy(graph).serialize(format="turtle")


def to_trig(dataset: Dataset, graph_names: list[URIRef] | None = None) -> str:
    """TriG, graph by graph in name order, each graph's triples in N-Quads order: pyoxigraph writes it (its
    parser keeps every term as written, and it writes quads in the order given), about 50x faster than rdflib's
    Turtle writer."""
    text = "".join(to_nquads(dataset, [graph.identifier]) for graph in named_graphs(dataset)
                   if graph_names is None or graph.identifier in graph_names)
    return trig_from_nquads(text.split("\n")[:-1])


def trig_from_nquads(lines: list[str]) -> str:
    """`to_trig` of the sorted N-Quads lines of a build (with or without their newlines): the same text, for the
    large-graph paths that never hold the graph in rdflib."""
    import pyoxigraph
    from .vocab import PREFIXES
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    by_graph: dict[str, list] = {}
    for quad in pyoxigraph.parse(input=text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, pyoxigraph.NamedNode):   # the default graph is never written, as above
            by_graph.setdefault(quad.graph_name.value, []).append(quad)
    quads = [quad for name in sorted(by_graph) for quad in by_graph[name]]
    prefixes = {name: str(namespace) for name, namespace in sorted(PREFIXES.items())}
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=prefixes).decode("utf-8")


def write_build(dataset: Dataset, out_dir: Path) -> dict[str, Path]:
    paths = {"trig": out_dir / TRIG_NAME, "nquads": out_dir / NQUADS_NAME}
    atomic_write(paths["nquads"], to_nquads(dataset))
    atomic_write(paths["trig"], to_trig(dataset))
    return paths


STORE_ENGINES = ("memory", "oxigraph")


def read_build(build_dir: Path, engine: str = "memory") -> Dataset:
    """Load a built graph; a missing or unreadable build is an input error.

    engine "memory" is rdflib's own store (for changing the graph); "oxigraph" is pyoxigraph behind the same rdflib
    API through oxrdflib, which loads N-Quads about ten times faster and answers SPARQL in Rust."""
    path = build_dir / NQUADS_NAME
    if not path.is_file():
        raise InputError(str(path), "no built graph here: run `nhskg build` first")
    if engine == "oxigraph":
        dataset = Dataset(store=oxigraph_store(path))
    else:
        dataset = Dataset()
        try:
            dataset.parse(path, format="nquads")
        except Exception as error:  # rdflib raises several parser error types
            raise InputError(str(path), f"cannot be parsed as N-Quads: {error}") from None
    bind_prefixes(dataset)
    return dataset


def oxigraph_store(nquads: Path):
    """An in-memory pyoxigraph store holding an N-Quads file, wrapped as an rdflib store."""
    import pyoxigraph
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(str(nquads), f"cannot be parsed as N-Quads: {error}") from None
    return wrap_oxigraph(store)


# The pyoxigraph store behind each rdflib store made by `wrap_oxigraph`, so that the stored queries can run on it
# directly (`nhskg.queries.run`) without reaching into oxrdflib's private attributes.
_PYOXIGRAPH_BEHIND = weakref.WeakKeyDictionary()


def wrap_oxigraph(store):
    """A pyoxigraph store behind the rdflib API (oxrdflib's store), remembered for `pyoxigraph_behind`."""
    from oxrdflib import OxigraphStore
    wrapped = OxigraphStore(store=store)
    _PYOXIGRAPH_BEHIND[wrapped] = store
    return wrapped


def pyoxigraph_behind(graph: Graph):
    """The pyoxigraph store under an rdflib graph or dataset made by `wrap_oxigraph`, or None."""
    try:
        return _PYOXIGRAPH_BEHIND.get(graph.store)
    except TypeError:  # a store that cannot be weakly referenced was not made here
        return None


def is_oxigraph(graph: Graph) -> bool:
    return type(graph.store).__name__ == "OxigraphStore"


def union_graph(dataset: Dataset, include_inferred: bool = True, include_ontology: bool = True) -> Graph:
    union = Graph()
    bind_prefixes(union)
    for graph in named_graphs(dataset):
        if graph.identifier == GRAPH_INFERRED and not include_inferred:
            continue
        if graph.identifier == GRAPH_ONTOLOGY and not include_ontology:
            continue
        for triple in graph:
            union.add(triple)
    return union


def resolve_graph_name(dataset: Dataset, name: str) -> URIRef:
    """`document/x`, `inferred` or a full IRI -> the graph IRI; unknown names list the known ones."""
    known = {str(g.identifier): g.identifier for g in named_graphs(dataset)}
    for candidate in (name, str(GRAPH) + name):
        if candidate in known:
            return known[candidate]
    listing = ", ".join(k[len(str(GRAPH)):] for k in sorted(known))
    raise InputError("--graph", f"no graph named {name!r}; the graphs are: {listing}")
