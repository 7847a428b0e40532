"""How much of each stored query's time is Oxigraph's own evaluation: per query, the p50 of the engine alone
(pyoxigraph evaluating the bound text, its solutions counted, no cell read) and of `nhskg.queries.run` (rows
as rdflib terms), with the parameters `run.py` binds, on a generated graph or an existing build.

    python benchmarks/query_floor.py --scale 10k|100k|1m [--repeats 5] [--seed 0]
    python benchmarks/query_floor.py --nquads build/nhskg.nq
"""

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import query_bindings  # noqa: E402
from benchmarks.synthetic import generate, parse_scale  # noqa: E402


def generated_build(scale: str, seed: int, folder: Path) -> Path:
    """A generated graph of that scale with its inferred graph, as sorted N-Quads (what `run.py` builds)."""
    from nhskg import scale as large
    from nhskg.build import load_ontology
    corpus = generate(folder / "input", parse_scale(scale), seed=seed)
    ontology = load_ontology()
    quads = large.read_nquads(corpus.graph) + large.ontology_quads(ontology)
    path = folder / "nhskg.nq"
    large.write_nquads(large.nquads_lines(quads, large.infer(quads, ontology)), path)
    return path


def graph_arguments(description: str) -> argparse.ArgumentParser:
    """The options of a script that runs on a generated graph (--scale, --seed) or an existing build (--nquads)."""
    parser = argparse.ArgumentParser(description=description)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--scale", help="generate a graph of this size: 10k, 100k, 1m")
    source.add_argument("--nquads", type=Path, help="an existing build's nhskg.nq")
    parser.add_argument("--seed", type=int, default=0)
    return parser


def main() -> int:
    parser = graph_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import pyoxigraph
    from rdflib import Dataset

    from nhskg import queries
    from nhskg.remote import bind_query_text
    from nhskg.store import wrap_oxigraph

    with tempfile.TemporaryDirectory() as work:
        path = args.nquads or generated_build(args.scale, args.seed, Path(work))
        store = pyoxigraph.Store()
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = Dataset(store=wrap_oxigraph(store))
    dataset.default_union = True
    gc.collect()
    gc.freeze()    # as in run.py: a process that only answers queries holds no build objects
    print(f"{len(store):,} quads; p50 of {args.repeats} runs")
    print(f"  {'query':22} {'rows':>7} {'engine alone':>14} {'queries.run':>14}")
    for name, query in sorted(queries.catalog().items()):
        bindings = query_bindings(dataset, name, query.parameters)
        text = bind_query_text(query.text, bindings)
        engine, api = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            rows = sum(1 for _ in store.query(text, use_default_graph_as_union=True))
            engine.append(time.perf_counter() - start)
            start = time.perf_counter()
            list(queries.run(dataset, query, bindings))
            api.append(time.perf_counter() - start)
        print(f"  {name:22} {rows:7,} {statistics.median(engine) * 1000:11.1f} ms "
              f"{statistics.median(api) * 1000:11.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
