"""Validation at scale against its reference, in one run: pySHACL alone over the whole graph in one process
(`validate_graph`, what `nhskg validate` did before), and the fast path of `nhskg validate` (SPARQL targets
found by Oxigraph, only the triples the shapes read, one shape and up to 2,000 focus nodes a task in two
forked processes). Prints load and validation seconds for each, the ratio, and whether the reports agree.

    python benchmarks/validation.py --scale 10k|100k|1m [--seed 0]
    python benchmarks/validation.py --nquads build/nhskg.nq
"""

import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.query_floor import generated_build, graph_arguments  # noqa: E402


def timed(action):
    start = time.perf_counter()
    value = action()
    return value, time.perf_counter() - start


def main() -> int:
    args = graph_arguments(__doc__.split("\n\n")[0]).parse_args()

    from nhskg import scale
    from nhskg.validation import (DATA_SHAPES, load_shapes, shapes_vocabulary, validate_graph,
                                  validate_graph_parallel)

    shapes = load_shapes(DATA_SHAPES)
    with tempfile.TemporaryDirectory() as work:
        path = args.nquads or generated_build(args.scale, args.seed, Path(work))
        whole, whole_load = timed(lambda: scale.validation_input(path=path, with_store=False).graph)
        gc.freeze()
        reference, reference_seconds = timed(lambda: validate_graph(whole, shapes))
        gc.unfreeze()
        del whole
        gc.collect()
        inputs, fast_load = timed(lambda: scale.validation_input(path=path, vocabulary=shapes_vocabulary(shapes)))
        gc.freeze()
        fast, fast_seconds = timed(lambda: validate_graph_parallel(inputs.graph, shapes, store=inputs.store))
    print(f"{len(inputs.store):,} quads; the shapes read {len(inputs.graph):,} triples of them")
    print(f"  {'':34} {'load':>8} {'validate':>9} {'total':>8}")
    print(f"  {'pySHACL alone, whole graph':34} {whole_load:7.1f}s {reference_seconds:8.1f}s "
          f"{whole_load + reference_seconds:7.1f}s")
    print(f"  {'nhskg validate (fast path)':34} {fast_load:7.1f}s {fast_seconds:8.1f}s {fast_load + fast_seconds:7.1f}s")
    print(f"  speedup {(whole_load + reference_seconds) / (fast_load + fast_seconds):.1f}x; "
          f"same report: {fast.rows() == reference.rows() and fast.conforms == reference.conforms}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
