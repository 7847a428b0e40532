"""The nhskg command line: each command parses options, calls one library function and renders its result."""

import contextlib
import sys
from pathlib import Path

import click

from .errors import NhskgError

BUILD_DIR = click.option("--build-dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
                         help="Folder of the built graph.")
ENDPOINT = click.option("--endpoint", help="Run against this SPARQL endpoint (a store `nhskg publish` filled) "
                                             "instead of the local build.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
                      show_default=True)


def fail(error: NhskgError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


class Group(click.Group):
    """Turns the library's errors into one message and exit status 2, in one place."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NhskgError as error:
            fail(error)


@click.group(cls=Group)
@click.version_option(package_name="nhskg")
def main():
    """A knowledge graph of how the NHS in England has commissioned care."""


def _open(build_dir: Path, endpoint: str | None = None):
    from .graph import KnowledgeGraph, RemoteKnowledgeGraph
    return RemoteKnowledgeGraph(endpoint) if endpoint else KnowledgeGraph.open(build_dir)


@contextlib.contextmanager
def _progress(stages: int):
    """Stage progress on standard error: a bar on a terminal, a plain line per stage in logs (CI)."""
    if not sys.stderr.isatty():
        yield lambda line: click.echo(line, err=True) if not line.endswith("...") else None
        return
    with click.progressbar(length=stages, label="building", file=sys.stderr,
                           item_show_func=lambda item: item) as bar:
        def advance(line: str) -> None:
            if line.endswith("..."):
                bar.update(0, line[:-4])
            else:
                bar.update(1, line)
        yield advance


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    from .errors import InputError
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--param {pair}", "expected key=value")
        params[key] = value
    return params


@main.command()
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of the source documents: check every anchor against their text.")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False), help="Curated data folder (default: the project's data/).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--profile", type=click.Choice(["none", "rdfs", "owl-rl"]), default="owl-rl", show_default=True,
              help="Reasoning profile for the inferred graph.")
@click.option("--ogd", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of ONS / ODS open-data files: derive the register from them instead of data/register/.")
def build(corpus, data, out, profile, ogd):
    """Build the graph from the ontology and curated data into TriG and N-Quads."""
    from .build import BUILD_STAGES, build as run_build
    with _progress(len(BUILD_STAGES)) as progress:
        result = run_build(out, data_dir=data, corpus=corpus, profile=profile, ogd=ogd, progress=progress)
    for line in result.register_report:
        click.echo(line)
    for name, size in result.graph_sizes.items():
        click.echo(f"{size:>7}  {name}")
    click.echo(f"{sum(result.graph_sizes.values()):>7}  triples in all; anchors "
               f"{'checked against the corpus' if result.anchors_checked else 'not checked (no --corpus)'}")
    for path in result.outputs.values():
        click.echo(f"wrote {path}")


@main.command()
@click.option("--ogd", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder of ONS / ODS open-data files in their official layouts (recognised by header).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("data/register"),
              show_default=True)
def register(ogd, out):
    """Derive the compact register of commissioning bodies from open data, and report rows used and skipped."""
    from .register import derive_register, register_report_lines, write_register
    derived = derive_register(ogd)
    for line in register_report_lines(derived):
        click.echo(line)
    for path in write_register(derived, out):
        click.echo(f"wrote {path}")


@main.command()
@BUILD_DIR
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False),
              help="Also check that every anchor's words stand at its offsets in the document.")
@click.option("--format", "fmt", type=click.Choice(["text", "table", "turtle"]), default="text", show_default=True)
def validate(build_dir, corpus, fmt):
    """Run the SHACL shapes over the built graph and lint the ontology: exit 0 conforms, 1 does not, 2 input error."""
    from .validation import validate_build
    results = validate_build(build_dir, corpus)
    for name, result in results.items():
        click.echo(f"== {name}: {'conforms' if result.conforms else 'does not conform'}")
        if fmt == "turtle":
            click.echo(result.report.serialize(format="turtle"))
        elif fmt == "table":
            from .render import render
            from .graph import Table
            rows = result.rows()
            columns = ["severity", "focus", "path", "shape", "message"]
            click.echo(render(Table(columns, [[r[c] for c in columns] for r in rows], name), "table"))
        elif not result.conforms or result.rows():
            click.echo(result.text)
    sys.exit(0 if all(r.conforms for r in results.values()) else 1)


@main.command()
def lint():
    """Check the ontology itself: every term declared, labelled and defined."""
    from .validation import lint_ontology
    result = lint_ontology()
    click.echo(result.text if not result.conforms else "ontology lint: conforms")
    sys.exit(0 if result.conforms else 1)


@main.command(name="queries")
def list_queries():
    """List the named queries with a line on each."""
    from .queries import catalog
    for name, query in catalog().items():
        params = " ".join(f"[{p.name}]" if p.optional else p.name for p in query.parameters)
        click.echo(f"{name:<22} {query.description}")
        if params:
            click.echo(f"{'':<22} parameters: {params}")


@main.command()
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False), help="Run your own SPARQL file.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a parameter (names are resolved).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows (a page).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many rows first (with --limit, the page after them).")
@BUILD_DIR
@FORMAT
@ENDPOINT
def query(name, query_file, params, build_dir, fmt, endpoint, limit, offset):
    """Run a named query (see `nhskg queries`) or your own with --file."""
    from .errors import InputError
    from .queries import get_query, page, read_query_file
    from .render import render
    if bool(name) == bool(query_file):
        raise InputError("query", "give either a query NAME or --file FILE")
    stored = page(read_query_file(query_file) if query_file else get_query(name), limit, offset)
    kg = _open(build_dir, endpoint)
    click.echo(render(kg.table(stored, kg.bind(stored, _params(params))), fmt), nl=False)


@main.command()
@click.argument("body")
@BUILD_DIR
@FORMAT
@ENDPOINT
def lineage(body, build_dir, fmt, endpoint):
    """What BODY came from and what it became, with dates (a name, alias, code or IRI)."""
    from .render import render
    click.echo(render(_open(build_dir, endpoint).lineage(body), fmt), nl=False)


@main.command()
@click.argument("date")
@click.option("--type", "type_", help="Only bodies of this type: a class name or its label or abbreviation (CCG, ICB, PCT...).")
@BUILD_DIR
@FORMAT
@ENDPOINT
def asof(date, type_, build_dir, fmt, endpoint):
    """The bodies that existed on DATE (YYYY-MM-DD), with a count."""
    from .render import render
    click.echo(render(_open(build_dir, endpoint).asof(date, type_), fmt), nl=False)


@main.command()
@click.option("--about", help="Only claims about this entity.")
@click.option("--by", "by", help="Only claims made by this person or body.")
@click.option("--type", "claim_type", type=click.Choice(["prediction", "criticism", "recommendation", "estimate",
                                                         "assertion"]))
@click.option("--text", help="Only claims whose words contain this text.")
@click.option("--document", help="Only claims in this document (its title or IRI).")
@BUILD_DIR
@FORMAT
@ENDPOINT
def claims(about, by, claim_type, text, document, build_dir, fmt, endpoint):
    """Claims with the quoted words and the source document."""
    from .render import render
    click.echo(render(_open(build_dir, endpoint).claims(about, by, claim_type, text, document), fmt), nl=False)


@main.command()
@click.argument("entity")
@BUILD_DIR
@FORMAT
@ENDPOINT
def show(entity, build_dir, fmt, endpoint):
    """Every fact about ENTITY, with the named graph each came from."""
    from .render import render
    click.echo(render(_open(build_dir, endpoint).show(entity), fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
              default="trig", show_default=True)
@click.option("--graph", help="Only this named graph (e.g. entities, inferred, document/<id>).")
@click.option("--inferred/--no-inferred", default=True, show_default=True, help="Include the inferred graph.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write (default: standard output).")
@BUILD_DIR
def export(fmt, graph, inferred, output, build_dir):
    """Export the built graph in a standard RDF format."""
    from .export import export as run_export
    from .store import atomic_write
    text = run_export(_open(build_dir).dataset, fmt, graph, inferred)
    if output:
        atomic_write(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("words")
@click.option("--occurrence", type=int, default=0, help="Which occurrence, counting from 0.")
def anchor(document, words, occurrence):
    """Print a ready-made TOML anchor (quote, prefix, suffix, offsets) for WORDS in DOCUMENT."""
    import json
    from .corpus import make_anchor, read_document
    found = make_anchor(read_document(document), words, occurrence=occurrence)
    for key in ("quote", "prefix", "suffix"):
        value = getattr(found, "exact" if key == "quote" else key)
        click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    click.echo(f"start = {found.start}\nend = {found.end}")


@main.command()
@click.option("--min-score", type=float, default=80.0, show_default=True, help="Lowest name similarity (0-100) to report.")
@FORMAT
def link(min_score, fmt):
    """Propose links between bodies the documents name and register entries, with scores, for review."""
    from .graph import Table
    from .linker import review_table
    from .render import render
    columns, rows = review_table(min_score)
    click.echo(render(Table(columns, rows, "link"), fmt), nl=False)


@main.command()
@BUILD_DIR
def assess(build_dir):
    """Check every claim's measurable target against the register and record the assessments in the build."""
    from .assess import assess_build
    for a in assess_build(build_dir):
        figures = "; ".join(f"{p}: {v:g}" for p, v in a.figures)
        held = f"first held in {a.first_held}" if a.first_held else "never held"
        click.echo(f"{a.claim}\n  target {a.comparison} {a.target:g}: {a.verdict} ({held})\n  figures: {figures}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 lets other machines in).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped and answered 503.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) in one answer; a cut answer says so in X-NHSKG-Truncated.")
@click.option("--allow-service", is_flag=True, help="Let queries use SERVICE (federated query); off by default.")
@click.option("--engine", type=click.Choice(["rdflib", "oxigraph"]), default="rdflib", show_default=True,
              help="Who evaluates /sparql queries: rdflib stops a query at the time limit; Oxigraph is much faster, "
                   "but a query past the limit (answered 503) runs on to its end.")
@BUILD_DIR
def serve(host, port, timeout, max_rows, allow_service, engine, build_dir):
    """Serve the graph read-only over HTTP: SPARQL endpoint, Linked Data pages, ontology, search."""
    from .serve import ServeSettings, serve as run_server
    run_server(_open(build_dir), host=host, port=port,
               settings=ServeSettings(timeout_seconds=timeout, max_rows=max_rows, allow_service=allow_service,
                                      engine=engine))


@main.command()
@click.option("--endpoint", help="The store's SPARQL Update endpoint (used when there is no --graph-store).")
@click.option("--graph-store", help="The store's SPARQL 1.1 Graph Store Protocol endpoint (one PUT per graph).")
@click.option("--graph", "graphs", multiple=True, help="Only this named graph (short name or IRI); repeatable.")
@BUILD_DIR
def publish(endpoint, graph_store, graphs, build_dir):
    """Replace the built named graphs in a triplestore (credentials: NHSKG_STORE_USER, NHSKG_STORE_PASSWORD)."""
    from .remote import publish as run_publish
    from .store import resolve_graph_name
    kg = _open(build_dir)
    names = [str(resolve_graph_name(kg.dataset, g)) for g in graphs] or None
    for pushed in run_publish(kg.dataset, endpoint, graph_store, names):
        click.echo(f"{pushed.triples:>7}  {pushed.graph}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "turtle"]), default="json", show_default=True)
@BUILD_DIR
def extract(files, fmt, build_dir):
    """Print what each FILE says (metadata, entities, changes, oversight, claims); the graph is unchanged."""
    from .extract import extract_report
    output, skipped = extract_report(list(files), fmt, build_dir)
    if output:
        click.echo(output)
    for path, reason in skipped:
        click.echo(f"skipped {path}: {reason}", err=True)
    if skipped:
        sys.exit(2 if len(skipped) == len(files) else 1)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@BUILD_DIR
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def ingest(directory, build_dir, fmt):
    """Extract every new or changed document under DIRECTORY into the built graph (one named graph each).

    What it reads from the whole build is kept in BUILD_DIR/.ingest-state/, so that later runs cost only
    their new documents."""
    import json
    from .ingest import ingest as run_ingest
    summary = run_ingest(directory, build_dir)
    click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) if fmt == "json" else summary.render())
    if summary.read == 0:
        click.echo(f"error: no document under {directory} could be read", err=True)
        sys.exit(2)


@main.command()
@click.option("--gold", type=click.Path(path_type=Path, file_okay=False),
              help="Data folder with documents/ (default: the project's).")
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False), help="Default ../shared/corpus.")
@click.option("--details", is_flag=True, help="List misses and false hits.")
@click.option("--holdout", is_flag=True, help="Leave out the names curated from each document itself.")
def evaluate(gold, corpus, details, holdout):
    """Precision, recall and F1 per kind of extraction against curated annotations."""
    from .evaluate import evaluate as score
    click.echo(score(gold, corpus, holdout=holdout).render(details))
