"""Throughput of `nhskg.extract` in KB of text per second on one core (median of N runs), and in the same run a
naive baseline: one case-insensitive regular expression per gazetteer name scanned over the text, which finds
entity mentions only (no sentences, quotations, changes, oversight or claims).

Workloads, all built from the corpus (../shared/corpus) so that they read like the genre:
  documents  the five documents, each extracted as a separate document, repeated --copies times;
  long       one long document of the corpus's body paragraphs in random order (--long-kb, default 1024 KB).

Usage: python benchmarks/extract_throughput.py [--runs 3] [--copies 20] [--long-kb 1024] [--corpus DIR]
The gazetteer comes from the curated data built in memory without reasoning (its build time is reported
apart and not counted). Target (issue 4): at least 200 KB/s.
"""

import argparse
import os
import random
import re
import statistics
import time
from pathlib import Path

from nhskg import resources
from nhskg.build import build_dataset
from nhskg.extract import BOILERPLATE, Extractor, Source, load_gazetteer, read_source


def kb(texts) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1024


def run_extract(gaz, sources) -> float:
    start = time.perf_counter()
    for source in sources:
        Extractor(gaz).run(source)
    return time.perf_counter() - start


def naive_scan(patterns, texts) -> tuple[float, int]:
    start = time.perf_counter()
    found = 0
    for text in texts:
        for pattern in patterns:
            for _ in pattern.finditer(text):
                found += 1
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--long-kb", type=int, default=1024)
    parser.add_argument("--baseline-kb", type=int, default=32,
                        help="text the naive baseline scans (it is slow; its KB/s does not depend on the amount)")
    parser.add_argument("--corpus", type=Path, default=resources.ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})      # one core

    started = time.perf_counter()
    gaz = load_gazetteer(build_dataset(profile="none"))
    print(f"gazetteer: {gaz.size} names, built in {time.perf_counter() - started:.2f} s (not counted)")

    files = sorted(p for p in args.corpus.glob("*.txt"))
    documents = [read_source(p) for p in files]
    doc_sources = documents * args.copies
    rng = random.Random(1)
    paragraphs = [line for d in documents for line in d.text.split("\n")
                  if len(line.split()) >= 8 and not BOILERPLATE.match(line.strip())]
    chunks, size = [], 0
    while size < args.long_kb * 1024:
        chunk = rng.choice(paragraphs)
        chunks.append(chunk)
        size += len(chunk.encode("utf-8")) + 2
    long_text = "\n\n".join(chunks)
    long_source = Source(Path("long.txt"), "0" * 64, long_text, long_text, "utf-8", False)

    results = {}
    for name, sources in (("documents", doc_sources), ("long", [long_source])):
        size_kb = kb(s.text for s in sources)
        times = [run_extract(gaz, sources) for _ in range(args.runs)]
        median = statistics.median(times)
        results[name] = size_kb / median
        print(f"extract  {name:<10} {size_kb:8.0f} KB  median {median:6.2f} s  {size_kb / median:8.0f} KB/s")

    patterns = [re.compile(r"\b" + re.escape(n) + r"\b", re.I) for n in sorted(set(gaz.names))]
    base_text = long_text[:args.baseline_kb * 1024]
    base_kb = kb([base_text])
    base_times = []
    for _ in range(args.runs):
        elapsed, found = naive_scan(patterns, [base_text])
        base_times.append(elapsed)
    base_rate = base_kb / statistics.median(base_times)
    print(f"baseline naive scan ({len(patterns)} regexes, entities only) {base_kb:6.0f} KB  median "
          f"{statistics.median(base_times):6.2f} s  {base_rate:8.0f} KB/s")
    for name, rate in results.items():
        verdict = "meets" if rate >= 200 else "BELOW"
        print(f"ratio {name}: {rate / base_rate:.1f}x the baseline; {verdict} the 200 KB/s target")


if __name__ == "__main__":
    main()
