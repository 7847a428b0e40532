"""The stored SPARQL queries: reading their headers, binding parameters (never formatting them in) and running them."""

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result, ResultRow

from . import resources
from .errors import InputError
from .vocab import NHSKG, PREFIXES

PARAM_KINDS = ("entity", "body", "person", "model", "document", "class", "property", "iri", "string",
               "integer", "date")
_PARAM_LINE = re.compile(r"^#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>\w+)\s+(?P<text>.*)$")
_SORTED_PARTS_LINE = re.compile(r"^#\s*sorted parts:\s*(?P<columns>[^(]+?)\s*(\(.*)?$")
# A GROUP_CONCAT's argument may hold strings and calls two deep, as in COALESCE(STR(?label), "").
_CALL = r'\((?:[^()"]|"[^"]*"|\((?:[^()"]|"[^"]*")*\))*\)'
_CONCATENATION = re.compile(r'GROUP_CONCAT\s*\((?:[^()"]|"[^"]*"|' + _CALL + r')*?;\s*'
                            r'separator\s*=\s*"(?P<separator>[^"]+)"\s*\)\s+AS\s+\?(?P<column>\w+)', re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    description: str

    @property
    def optional(self) -> bool:
        return self.description.startswith("optional")


@dataclass
class StoredQuery:
    name: str
    description: str
    text: str
    path: Path | None
    parameters: list[Parameter] = field(default_factory=list)
    # column -> separator of the GROUP_CONCAT columns whose parts are given sorted (SPARQL leaves their order
    # to the engine, so Oxigraph, rdflib and Virtuoso would each list them differently)
    sorted_parts: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name.replace("-", "_"):
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise InputError(f"--param {name}", f"query '{self.name}' takes no such parameter (it takes: {known})")


def parse_query_text(text: str, name: str, path: Path | None = None) -> StoredQuery:
    description, parameters, sorted_columns = "", [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        if line.startswith("# description:"):
            description = line.split(":", 1)[1].strip()
        match = _PARAM_LINE.match(line)
        if match:
            if match["kind"] not in PARAM_KINDS:
                raise InputError(f"{path or name}", f"parameter {match['name']}: unknown kind {match['kind']!r}")
            parameters.append(Parameter(match["name"], match["kind"], match["text"].strip()))
        match = _SORTED_PARTS_LINE.match(line)
        if match:
            sorted_columns += match["columns"].split()
    concatenations = {found["column"]: found["separator"] for found in _CONCATENATION.finditer(text)}
    for column in sorted_columns:
        if column not in concatenations:
            raise InputError(f"{path or name}", f"sorted parts: {column} is not a GROUP_CONCAT column with a separator")
    return StoredQuery(name, description, text, path, parameters,
                       {column: concatenations[column] for column in sorted_columns})


def sort_parts(query: StoredQuery, columns: list[str], rows: list[list]) -> list[list]:
    """The rows with the parts of the query's `sorted parts` columns in sorted order, each cell keeping its
    language tag or datatype."""
    for column, separator in query.sorted_parts.items():
        if column not in columns:
            continue
        index = columns.index(column)
        for row in rows:
            value = row[index]
            if isinstance(value, Literal):
                parts = separator.join(sorted(str(value).split(separator)))
                row[index] = Literal(parts, lang=value.language, datatype=None if value.language else value.datatype)
    return rows


def catalog() -> dict[str, StoredQuery]:
    """Every stored query by name (its file name without .rq)."""
    return {path.stem: parse_query_text(path.read_text(encoding="utf-8"), path.stem, path)
            for path in sorted(resources.QUERIES_DIR.glob("*.rq"))}


def get_query(name: str) -> StoredQuery:
    queries = catalog()
    if name not in queries:
        raise InputError(name, f"no stored query of that name (known: {', '.join(queries)})")
    return queries[name]


def read_query_file(path: Path) -> StoredQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot read the query: {error.strerror}") from None
    return parse_query_text(text, path.stem, path)


def compile_query(query: StoredQuery):
    try:
        return prepareQuery(query.text, initNs=PREFIXES)
    except Exception as error:  # the parser raises pyparsing errors with a line and column
        raise InputError(str(query.path or query.name), f"SPARQL does not parse: {error}") from None


def literal_for(parameter: Parameter, value: str):
    """Turn a command-line value into the RDF term bound to the parameter (names are resolved elsewhere)."""
    if parameter.kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise InputError(f"--param {parameter.name}", f"{value!r} is not a whole number")
        return Literal(int(value), datatype=XSD.integer)
    if parameter.kind == "date":
        from .dates import parse_date
        return parse_date(value, f"--param {parameter.name}")[0]
    if parameter.kind == "string":
        return Literal(value)
    if parameter.kind in ("class", "property"):
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        return NHSKG[value.split(":", 1)[-1]]
    return URIRef(value)


def run(graph: Graph, query: StoredQuery, bindings: dict[str, object] | None = None):
    """Run a query with its parameters bound as RDF terms; returns rdflib's Result."""
    if query.text.lstrip().upper().startswith(("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE")):
        raise InputError(str(query.path or query.name), "updates are not run: nhskg queries are read-only")
    from .store import is_oxigraph, pyoxigraph_behind
    try:
        if is_oxigraph(graph):
            # Oxigraph substitutes only projected variables, so parameters are bound as terms in the text, exactly
            # as for a remote store (`bind_query_text`); Oxigraph parses and evaluates it in Rust.
            from .remote import bind_query_text
            text = bind_query_text(query.text, bindings or {})
            store = pyoxigraph_behind(graph)
            if store is not None and query_kind(text) == "SELECT":
                return _select_on_pyoxigraph(store, text, getattr(graph, "default_union", False))
            return graph.query(text, initNs={k: str(v) for k, v in PREFIXES.items()})
        return graph.query(compile_query(query), initBindings=bindings or {})
    except InputError:
        raise
    except SyntaxError as error:  # Oxigraph's parser: the message gives the line and column
        raise InputError(str(query.path or query.name), f"SPARQL does not parse: {error}") from None
    except Exception as error:
        raise InputError(str(query.path or query.name), f"the query failed: {error}") from None


def page(query: StoredQuery, limit: int | None = None, offset: int = 0) -> StoredQuery:
    """The query limited to `limit` rows after skipping `offset` (whole numbers, checked here; they are written
    into the text as SPARQL's LIMIT and OFFSET, which every engine applies after ORDER BY). A query that limits
    its own rows is refused rather than limited twice."""
    if limit is None and not offset:
        return query
    for name, value in (("--limit", limit), ("--offset", offset)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise InputError(name, f"{value!r} is not a whole number of rows")
    tail = query.text[query.text.rfind("}") + 1:]
    if re.search(r"\b(LIMIT|OFFSET)\b", re.sub(r"#[^\n]*", "", tail), re.IGNORECASE):
        raise InputError(str(query.path or query.name), "the query limits its own rows: --limit and --offset "
                                                         "cannot be added")
    modifiers = (f"\nLIMIT {limit}" if limit is not None else "") + (f"\nOFFSET {offset}" if offset else "")
    return dataclasses.replace(query, text=query.text.rstrip() + modifiers + "\n")


def query_kind(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords outside the prologue's IRIs and comments."""
    without = re.sub(r"<[^<>\s]*>|#[^\n]*", " ", text)
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", without, re.IGNORECASE)
    return found.group(1).upper() if found else ""


def _select_on_pyoxigraph(store, text: str, union_default_graph: bool):
    """A SELECT evaluated by pyoxigraph and returned as rdflib's Result, each distinct term converted once: a
    listing repeats its kinds, statuses and sources thousands of times, and converting every cell afresh took
    as long as Oxigraph's own evaluation."""
    from rdflib import Variable

    from .scale import rdflib_term

    solutions = store.query(text, use_default_graph_as_union=union_default_graph,
                            prefixes={name: str(namespace) for name, namespace in PREFIXES.items()})
    columns = [Variable(variable.value) for variable in solutions.variables]
    converted: dict = {None: None}

    def term(value):
        found = converted.get(value)
        if found is None and value is not None:
            found = converted[value] = rdflib_term(value)
        return found

    rows = [tuple(map(term, solution)) for solution in solutions]
    # a row with nothing bound is no row, as rdflib's Result leaves it out
    return _RowsResult(columns, [row for row in rows if row.count(None) < len(row)])


class _RowsResult(Result):
    """A SELECT result made from rows already in hand. rdflib's own Result makes a dict of every row and, as
    it hands each out, a fresh map of the column names: at a million triples that cost as long as Oxigraph
    took to answer. Here the rows share one map, and the dicts are made only if asked for."""

    def __init__(self, columns: list, values: list[tuple]):
        super().__init__("SELECT")
        self.vars = columns
        self._values = values
        self._labels = {str(column): index for index, column in enumerate(columns)}

    def __iter__(self):
        for values in self._values:
            row = tuple.__new__(ResultRow, values)
            row.labels = self._labels
            yield row

    def __len__(self) -> int:
        return len(self._values)

    @property
    def bindings(self):
        if self._bindings is None or len(self._bindings) != len(self._values):
            self._bindings = [{column: value for column, value in zip(self.vars, values) if value is not None}
                              for values in self._values]
        return self._bindings

    @bindings.setter
    def bindings(self, value) -> None:
        self._bindings = value
