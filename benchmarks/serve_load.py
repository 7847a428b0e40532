"""A bounded load test of `nhskg serve` on loopback: named queries and entity pages from concurrent clients.

It starts the server in this process on 127.0.0.1 (an ephemeral port), sends a fixed number of requests from
a fixed number of client threads, mixing stored queries sent to /sparql (with their parameters bound) and
entity pages, then stops. It prints p50 / p99 latency, throughput and the error count, and, as the baseline
measured in the same run, the same requests run in-process without HTTP.

Usage: python benchmarks/serve_load.py [--requests 2000] [--clients 16] [--build-dir build] [--engine oxigraph]
"""

import argparse
import statistics
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nhskg.graph import KnowledgeGraph
from nhskg.queries import get_query
from nhskg.remote import bind_query_text
from nhskg.serve import ServeSettings, make_server

QUERIES = [("lineage", {"body": "13T"}), ("claims", {"by": "Roy Lilley"}), ("asof", {"date": "2020-04-01", "class": "CCG"}),
           ("memberships", {"member": "07H"}), ("oversight", {"relation": "hosts"}), ("documents", {})]
PAGES = ["/id/org/ods-11n", "/id/org/mid-cornwall-gp-commissioning-group", "/id/org/nhs-england", "/id/org/ods-07h"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--build-dir", type=Path, default=Path("build"))
    parser.add_argument("--engine", choices=["rdflib", "oxigraph"], default="oxigraph",
                        help="who evaluates the /sparql queries (nhskg serve --engine)")
    args = parser.parse_args()

    kg = KnowledgeGraph.open(args.build_dir)
    texts = []
    for name, params in QUERIES:
        query = get_query(name)
        texts.append(bind_query_text(query.text, kg.bind(query, params)))
    server = make_server(kg, "127.0.0.1", 0, ServeSettings(timeout_seconds=30, engine=args.engine))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    work = []
    for i in range(args.requests):
        if i % 3 == 2:
            work.append(("page", base + PAGES[i % len(PAGES)], None))
        else:
            body = urllib.parse.urlencode({"query": texts[i % len(texts)]}).encode()
            work.append(("query", base + "/sparql", body))

    def send(item):
        kind, url, body = item
        request = urllib.request.Request(url, data=body, headers={
            "Accept": "application/sparql-results+json" if kind == "query" else "text/html"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                ok = response.status == 200
        except Exception:  # every failure counts as an error; the figure is what matters here
            ok = False
        return kind, time.perf_counter() - start, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        results = list(pool.map(send, work))
    elapsed = time.perf_counter() - started
    server.shutdown()
    server.server_close()

    errors = sum(1 for _, _, ok in results if not ok)
    print(f"{args.requests} requests from {args.clients} clients in {elapsed:.1f} s: "
          f"{args.requests / elapsed:.1f} requests/s, {errors} errors")
    for kind in ("query", "page"):
        times = [t * 1000 for k, t, _ in results if k == kind]
        print(f"  {kind:<6} n={len(times):<5} p50 {percentile(times, 0.5):8.1f} ms   p99 {percentile(times, 0.99):8.1f} ms")

    baseline = []
    for text in texts:
        start = time.perf_counter()
        list(kg.dataset.query(text))
        baseline.append((time.perf_counter() - start) * 1000)
    query_p50 = percentile([t * 1000 for k, t, _ in results if k == "query"], 0.5)
    print(f"baseline, the same queries in-process without HTTP: median {statistics.median(baseline):.1f} ms; "
          f"served p50 / in-process median = {query_p50 / statistics.median(baseline):.1f}x")


if __name__ == "__main__":
    main()
