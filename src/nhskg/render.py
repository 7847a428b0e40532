"""Rendering query answers as an aligned table, CSV, TSV or SPARQL 1.1 JSON results."""

import csv
import io
import json

from rdflib import BNode, Literal, URIRef

from .graph import Table
from .vocab import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")


def short(term, compact: bool = True) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef) and compact:
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if text.startswith(str(namespace)) and prefix in ("id", "nhskg", "org", "schema", "oa"):
                return f"{prefix}:{text[len(str(namespace)):]}"
        return text
    return str(term)


def _json_term(term):
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        value["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        value["datatype"] = str(term.datatype)
    return value


def render(table: Table, fmt: str = "table") -> str:
    if fmt == "json":
        bindings = [{c: _json_term(t) for c, t in zip(table.columns, row) if t is not None} for row in table.rows]
        return json.dumps({"head": {"vars": table.columns}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows([[short(t, compact=False) for t in row] for row in table.rows])
            return buffer.getvalue()
        lines = ["\t".join("?" + c for c in table.columns)]
        for row in table.rows:
            lines.append("\t".join(short(t, compact=False).replace("\t", " ").replace("\n", " ") for t in row))
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    cells = [[short(t).replace("\n", " ") for t in row] for row in table.rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(table.columns)]

    def line(values):
        return "  ".join((v if len(v) <= w else v[:w - 1] + "…").ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(table.columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(out) + "\n"
