"""Times each stage of `nhskg build` + `nhskg validate` on the project's data (median of N runs), and in the
same run the naive path (pySHACL doing its own OWL RL inference over the asserted graph) as the baseline.

Usage: python benchmarks/build_stages.py [--runs 3] [--corpus ../shared/corpus]
"""

import argparse
import statistics
import time
from pathlib import Path

from nhskg import resources
from nhskg.annotations import load_annotations
from nhskg.build import load_ontology, ontology_classes, register_tables
from nhskg.loader import Loader
from nhskg.reasoning import expand
from nhskg.register import register_graph
from nhskg.store import to_nquads, to_trig, union_graph
from nhskg.validation import DATA_SHAPES, load_shapes, validate_dataset, validate_graph
from nhskg.vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_REGISTER


def timed(stage_times, name, function, *args):
    start = time.perf_counter()
    value = function(*args)
    stage_times.setdefault(name, []).append(time.perf_counter() - start)
    return value


def one_run(corpus, stage_times):
    ontology = timed(stage_times, "load ontology", load_ontology)
    annotations = timed(stage_times, "read annotations", load_annotations, resources.DATA_DIR, ontology_classes(ontology))
    tables = timed(stage_times, "read register (data/register)", register_tables, resources.DATA_DIR, None)
    keys = {row["key"] for row in tables["bodies.csv"]}
    dataset = timed(stage_times, "load annotations into graphs", lambda: Loader(annotations, corpus, keys).run())
    register = timed(stage_times, "register to RDF", register_graph, tables)
    for triple in register:
        dataset.graph(GRAPH_REGISTER).add(triple)
    for triple in ontology:
        dataset.graph(GRAPH_ONTOLOGY).add(triple)
    asserted = union_graph(dataset)
    inferred = timed(stage_times, "reason (owlrl, OWL RL)", expand, asserted, "owl-rl")
    for triple in inferred:
        dataset.graph(GRAPH_INFERRED).add(triple)
    timed(stage_times, "export (TriG + N-Quads)", lambda: (to_trig(dataset), to_nquads(dataset)))
    timed(stage_times, "validate (pySHACL, no inference)", validate_dataset, dataset, corpus)
    shapes = load_shapes(DATA_SHAPES)
    timed(stage_times, "baseline: pySHACL with its own OWL RL inference",
          lambda: __import__("pyshacl").validate(asserted, shacl_graph=shapes, inference="owlrl", advanced=True))
    return len(asserted) + len(inferred)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = parser.parse_args()
    stage_times: dict[str, list[float]] = {}
    triples = 0
    for _ in range(args.runs):
        triples = one_run(args.corpus if args.corpus.is_dir() else None, stage_times)
    medians = {name: statistics.median(times) for name, times in stage_times.items()}
    print(f"{triples} triples, median of {args.runs} runs")
    for name, seconds in medians.items():
        print(f"  {name:<50} {seconds:8.3f} s")
    ours = medians["reason (owlrl, OWL RL)"] + medians["validate (pySHACL, no inference)"]
    naive = medians["baseline: pySHACL with its own OWL RL inference"]
    print(f"reason once + validate without inference: {ours:.3f} s; "
          f"validation with pySHACL's own inference: {naive:.3f} s; ratio {naive / ours:.2f}x")


if __name__ == "__main__":
    main()
