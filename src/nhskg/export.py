"""Exporting the built graph in the standard RDF formats, deterministically."""

from rdflib import Dataset, Graph

from .errors import InputError
from .store import named_graphs, resolve_graph_name, to_nquads, to_ntriples, to_trig, to_turtle
from .vocab import GRAPH_INFERRED, bind_prefixes

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")


def export(dataset: Dataset, fmt: str, graph: str | None = None, inferred: bool = True) -> str:
    if fmt not in EXPORT_FORMATS:
        raise InputError("--format", f"unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    if graph is not None:
        names = [resolve_graph_name(dataset, graph)]
    else:
        names = [g.identifier for g in named_graphs(dataset) if inferred or g.identifier != GRAPH_INFERRED]
    if fmt == "nquads":
        return to_nquads(dataset, names)
    if fmt == "trig":
        return to_trig(dataset, names)
    merged = Graph()
    bind_prefixes(merged)
    for name in names:
        for triple in dataset.graph(name):
            merged.add(triple)
    if fmt == "ntriples":
        return to_ntriples(merged)
    if fmt == "turtle":
        return to_turtle(merged)
    # JSON-LD: one node object per subject, in sorted order, with the graphs merged.
    import json
    nodes = json.loads(merged.serialize(format="json-ld", auto_compact=False))
    nodes = sorted(nodes, key=lambda n: n.get("@id", ""))
    for node in nodes:
        for key, values in node.items():
            if isinstance(values, list):
                node[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
    return json.dumps(nodes, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
