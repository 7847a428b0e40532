"""`nhskg ingest DIR`: every document in a folder extracted into the built graph, one named graph each, with
what the curated annotations say taking precedence and every disagreement reported.

For each file under DIR (recursively, in sorted order) the SHA-256 of its bytes is compared with the
documents the build already holds:

- a file that cannot be read as a document (binary, empty, too large, in no encoding tried) is *skipped*,
  with the reason; one bad file never stops the others;
- the same bytes as a document already ingested: *unchanged*, nothing is done;
- the same path (relative to DIR's parent, so DIR's own name is part of it) with other bytes: *replaced*,
  the old graph is dropped and the document extracted again into a graph of the same name;
- otherwise *added*, into `graph/document/x-<slug>` (`extract.document_slug` of that path).

A file with the bytes of a curated document is *curated*: the curated graph stands. Its extracted statements
are compared with the curated ones and not added (the curators have read it); only the comparison is kept,
in a graph of its own: a record of the file (`prov:alternateOf` the curated document) and one annotation per
conflict.

Curated statements always win. An extracted statement that disagrees with one is not asserted; it is
reported in the summary and recorded in the document's graph as a Web Annotation (`oa:Annotation`,
motivated by `oa:assessing`, its target the extracted words by position and quote, its body the curated
statement or entity that stands, a `skos:note` saying how they differ). What counts as a disagreement:

- in a curated document: an extracted claim over (half or more of) the same words as a curated claim with
  another claimant; a change of the same kind over overlapping words with no participant in common or
  another date; an oversight relation of the same kind over overlapping words with another overseer or
  overseen body;
- in any other document: a change of the same kind as a curated change with a named body in common, into
  another body or on another date (at the precision both give); a hosting relation giving a body another
  host; a change dated outside the life of a body taking part in it, as the graph records that life.

The build is never loaded into rdflib's store. What ingest needs from the whole graph (the name list, the
documents held, the curated statements, the compiled rules) is kept between runs beside the build
(`nhskg.ingest_state`); the first run reads it from an Oxigraph store of the build. When documents are only
added, their lines and the inferred triples they bring (reasoned outwards from the new triples,
`scale.inferred_change`) are spliced into the two files as they stand (`nhskg.splice`), byte for byte what
writing the whole build again gives (the TriG only where the state vouches for it; else it is written
afresh). When a graph is replaced, the inferred graph is recomputed whole and both files are written afresh.
Both files are renamed into place together, blank-node labels kept; nothing is written when nothing changed,
and a failure leaves the previous build as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import InputError
from .extract import (Extraction, Extractor, document_slug, gazetteer_from_dataset, read_source,
                      write_extraction)
from .loader import CHANGE_CLASS, CLAIM_CLASS, RELATION_PROPERTY
from .vocab import GRAPH, ID, NHSKG, OA, ORG, SCHEMA

INGEST_ACTIVITY = ID["method/ingest"]
DEFAULT_ENCODINGS = ("utf-8", "cp1252")
DEFAULT_MAX_BYTES = 16 * 1024 * 1024      # a 10 MB page is read; a data dump is not a document
STATEMENT_KINDS = ("entities", "new entities", "changes", "oversight", "claims")

_KIND_OF_CHANGE_CLASS = {cls: kind for kind, cls in CHANGE_CLASS.items()}
_KIND_OF_PROPERTY = {prop: kind for kind, prop in RELATION_PROPERTY.items()}
_CLAIM_CLASSES = set(CLAIM_CLASS.values())


# =====================================================================================================
# The summary
# =====================================================================================================

@dataclass
class Conflict:
    """An extracted statement that disagrees with what the graph's curated data says (which stands)."""
    document: str          # the file, as recorded (path relative to DIR's parent)
    kind: str              # change | oversight | claim
    start: int
    end: int
    extracted: str         # the extractor's reading, in a line
    curated: str           # IRI of the curated statement (or entity) that stands
    reason: str

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class DocumentResult:
    path: str              # relative to DIR's parent
    status: str            # added | replaced | unchanged | curated | skipped
    reason: str = ""
    graph: str | None = None
    statements: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    agreeing: int = 0      # curated documents: extracted statements the curated annotations confirm

    def to_json(self) -> dict:
        return {"path": self.path, "status": self.status, "reason": self.reason, "graph": self.graph,
                "statements": self.statements, "agreeing": self.agreeing,
                "conflicts": [c.to_json() for c in self.conflicts]}


@dataclass
class IngestSummary:
    directory: str
    build_dir: str
    documents: list = field(default_factory=list)
    written: bool = False

    def with_status(self, status: str) -> list:
        return [d for d in self.documents if d.status == status]

    @property
    def read(self) -> int:
        """Documents read as text (every one that was not skipped)."""
        return sum(1 for d in self.documents if d.status != "skipped")

    @property
    def statements(self) -> dict:
        totals = {kind: 0 for kind in STATEMENT_KINDS}
        for d in self.documents:
            for kind, count in d.statements.items():
                totals[kind] = totals.get(kind, 0) + count
        return totals

    @property
    def conflicts(self) -> list:
        return [c for d in self.documents for c in d.conflicts]

    def counts(self) -> dict:
        return {"read": self.read, **{s: len(self.with_status(s)) for s in
                                      ("added", "replaced", "unchanged", "curated", "skipped")}}

    def to_json(self) -> dict:
        return {"directory": self.directory, "build": self.build_dir, "written": self.written,
                "counts": self.counts(), "statements": self.statements,
                "documents": [d.to_json() for d in self.documents],
                "conflicts": [c.to_json() for c in self.conflicts]}

    def render(self) -> str:
        lines = [f"Ingesting {self.directory} into {self.build_dir}: {len(self.documents)} files"]
        for d in self.documents:
            if d.status in ("added", "replaced"):
                figures = ", ".join(f"{k} {v}" for k, v in d.statements.items())
                extra = f"; {len(d.conflicts)} withheld as conflicts" if d.conflicts else ""
                lines.append(f"  {d.status:<10} {d.path} -> {d.graph} ({figures}{extra})")
            elif d.status == "curated":
                lines.append(f"  {d.status:<10} {d.path}: {d.reason}; of its extracted statements {d.agreeing} agree "
                             f"with the curated ones and {len(d.conflicts)} conflict (recorded, not added)")
            else:
                lines.append(f"  {d.status:<10} {d.path}: {d.reason}")
        counts = self.counts()
        lines.append("documents: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        lines.append("statements added: " + ", ".join(f"{k} {v}" for k, v in self.statements.items()))
        conflicts = self.conflicts
        lines.append(f"conflicts with curated data: {len(conflicts)}" + (" (the curated statement stands)" if conflicts else ""))
        for c in conflicts:
            lines.append(f"  - {c.document} [{c.start}-{c.end}] {c.kind}: {c.extracted}; {c.reason} (stands: {c.curated})")
        lines.append(f"build updated: {self.build_dir}" if self.written else "build unchanged: nothing new to add")
        return "\n".join(lines)


# =====================================================================================================
# What the build already holds
# =====================================================================================================

@dataclass
class KnownDocument:
    graph: URIRef
    iri: URIRef
    sha256: str
    name: str | None
    ingested: bool
    creator: URIRef | None = None


@dataclass
class CuratedStatement:
    iri: URIRef
    kind: str                      # a change kind, an oversight kind, or "claim"
    document: URIRef
    start: int | None
    end: int | None
    status: str | None = None
    date: str | None = None
    sources: frozenset = frozenset()
    results: frozenset = frozenset()
    overseer: URIRef | None = None
    overseen: URIRef | None = None
    claimant: URIRef | None = None


def _documents(dataset) -> list[KnownDocument]:
    found = []
    prefix = str(GRAPH["document/"])
    for graph in dataset.graphs():
        if not str(graph.identifier).startswith(prefix):
            continue
        ingested = next((d for d in graph.subjects(PROV.wasGeneratedBy, INGEST_ACTIVITY)
                         if (d, NHSKG.sha256, None) in graph or (d, PROV.alternateOf, None) in graph), None)
        if ingested is not None:
            sha = graph.value(ingested, NHSKG.sha256)
            name = graph.value(ingested, NHSKG.fileName) or graph.value(ingested, DCTERMS.identifier)
            if sha is None:       # a record of a curated document: its digest is the curated one's
                original = graph.value(ingested, PROV.alternateOf)
                sha = next((o for g in dataset.graphs() for o in g.objects(original, NHSKG.sha256)), None)
            if sha is not None:
                found.append(KnownDocument(graph.identifier, ingested, str(sha), str(name) if name else None, True))
            continue
        for doc, sha in graph.subject_objects(NHSKG.sha256):
            found.append(KnownDocument(graph.identifier, doc, str(sha), str(graph.value(doc, NHSKG.fileName) or ""),
                                       False, graph.value(doc, DCTERMS.creator)))
    return found


def _position(graph: Graph, subject) -> tuple[int | None, int | None]:
    position = graph.value(subject, NHSKG.positionSelector)
    if position is None:
        return None, None
    start, end = graph.value(position, OA.start), graph.value(position, OA.end)
    return (int(start), int(end)) if start is not None and end is not None else (None, None)


def _curated_statements(dataset, curated: list[KnownDocument]) -> list[CuratedStatement]:
    out = []
    for known in curated:
        g = dataset.graph(known.graph)
        for cls, kind in _KIND_OF_CHANGE_CLASS.items():
            for change in g.subjects(RDF.type, cls):
                start, end = _position(g, change)
                date = g.value(change, DCTERMS.date)
                status = g.value(change, NHSKG.status)
                sources = set(g.objects(change, ORG.originalOrganization)) | set(g.objects(change, NHSKG.transferredOrganization)) \
                    | set(g.objects(change, NHSKG.renamedOrganization))
                results = set(g.objects(change, ORG.resultingOrganization)) | set(g.objects(change, NHSKG.toParent))
                out.append(CuratedStatement(change, kind, known.iri, start, end,
                                            str(status).rsplit("status", 1)[-1].lower() if status else None,
                                            str(date) if date else None, frozenset(sources), frozenset(results)))
        for relation in g.subjects(RDF.type, NHSKG.OversightRelationship):
            start, end = _position(g, relation)
            prop = g.value(relation, NHSKG.relationProperty)
            status = g.value(relation, NHSKG.status)
            out.append(CuratedStatement(relation, _KIND_OF_PROPERTY.get(prop, "oversees"), known.iri, start, end,
                                        str(status).rsplit("status", 1)[-1].lower() if status else None,
                                        overseer=g.value(relation, NHSKG.overseer), overseen=g.value(relation, NHSKG.overseen)))
        for claim, claimant in g.subject_objects(PROV.wasAttributedTo):
            if not any(t in _CLAIM_CLASSES for t in g.objects(claim, RDF.type)):
                continue
            start, end = _position(g, claim)
            out.append(CuratedStatement(claim, "claim", known.iri, start, end, claimant=claimant))
    return out


@dataclass
class _Facts:
    """What the conflict checks need from the whole graph, read once."""
    statements: list
    founded: dict          # entity IRI -> founding date (string)
    dissolved: dict
    collective: set
    labels: dict           # curated claimant IRI -> its label


def _facts(dataset, curated: list[KnownDocument]) -> _Facts:
    founded, dissolved, collective = {}, {}, set()
    # where graphs give a body different dates, the earliest founding and the latest dissolution stand (as in
    # the name list), whatever order a store lists them in
    for s, _, o, _ in dataset.quads((None, SCHEMA.foundingDate, None, None)):
        founded[s] = min(founded.get(s, str(o)), str(o))
    for s, _, o, _ in dataset.quads((None, SCHEMA.dissolutionDate, None, None)):
        dissolved[s] = max(dissolved.get(s, str(o)), str(o))
    for s, _, o, _ in dataset.quads((None, NHSKG.isCollective, None, None)):
        if o.toPython() is True:
            collective.add(s)
    # in IRI order, so that where two curated statements could stand against an extracted one, the one reported
    # does not depend on the order a store lists its triples in
    statements = sorted(_curated_statements(dataset, curated), key=lambda s: (str(s.document), str(s.iri), s.kind))
    claimants = sorted({st.claimant for st in statements if st.claimant is not None})
    labels = {c: min(map(str, dataset.objects(c, RDFS.label)), default=str(c)) for c in claimants}
    return _Facts(statements, founded, dissolved, collective, labels)


# =====================================================================================================
# Conflicts
# =====================================================================================================

def _same_date(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _overlap(a_start, a_end, b_start, b_end, share: float = 0.0) -> bool:
    if b_start is None or b_end is None:
        return False
    common = min(a_end, b_end) - max(a_start, b_start)
    if common <= 0:
        return False
    return common >= share * min(a_end - a_start, b_end - b_start)


def _iri(mention) -> URIRef | None:
    return URIRef(mention.iri) if mention is not None and mention.iri else None


def _describe_change(c) -> str:
    names = ", ".join(m.label for m in c.sources) or "?"
    into = f" into {c.into.label}" if c.into else ""
    return f"{c.kind} ({c.status}) of {names}{into}" + (f", dated {c.date}" if c.date else "")


def _life_conflict(c, facts: _Facts) -> tuple[URIRef, str] | None:
    """A change dated before a body in it was founded, or after a body it results in was dissolved (the rule
    the SHACL shapes apply), by the dates the graph records."""
    if not c.date:
        return None
    founded_check = [m for m in c.sources] + ([c.into] if c.into is not None and c.kind != "transfer" else [])
    for m in founded_check:
        iri = _iri(m)
        limit = facts.founded.get(iri) if iri else None
        if limit and not _same_date(c.date, limit) and c.date < limit:
            return iri, f"dated {c.date}, before {m.label} was founded ({limit})"
    ended = [c.into] if c.kind not in ("transfer", "renaming") else c.sources[:1]
    for m in ended:
        iri = _iri(m)
        limit = facts.dissolved.get(iri) if iri else None
        if limit and not _same_date(c.date, limit) and c.date > limit:
            return iri, f"dated {c.date}, after {m.label} was dissolved ({limit})"
    return None


def _change_conflict(c, facts: _Facts, same_document: URIRef | None) -> tuple[URIRef, str] | None:
    life = _life_conflict(c, facts)
    if life is not None:
        return life
    sources = {_iri(m) for m in c.sources} - {None}
    into = _iri(c.into)
    if same_document is not None:
        # the curated changes of this kind over the same words: a conflict only when none of them agrees
        named = sources | ({into} if into else set())
        disagreements = []
        for st in facts.statements:
            if st.kind != c.kind or st.document != same_document or not _overlap(c.start, c.end, st.start, st.end):
                continue
            if named and not named & (st.sources | st.results):
                disagreements.append((st.iri, "the curated change has other participants"))
            elif c.date and st.date and not _same_date(c.date, st.date):
                disagreements.append((st.iri, f"the curated change is dated {st.date}"))
            else:
                return None
        return disagreements[0] if disagreements else None
    for st in facts.statements:
        if st.kind != c.kind:
            continue
        specific = {s for s in sources if s not in facts.collective}
        if not specific & st.sources:
            continue
        if into and into not in facts.collective and st.results and into not in st.results:
            return st.iri, "the curated change has another result"
        if c.date and st.date and not _same_date(c.date, st.date) and (c.status == st.status or c.status == "done"):
            return st.iri, f"the curated change is dated {st.date}"
    return None


def _oversight_conflict(r, facts: _Facts, same_document: URIRef | None) -> tuple[URIRef, str] | None:
    overseer, overseen = _iri(r.overseer), _iri(r.overseen)
    if same_document is not None:
        disagreements = []
        for st in facts.statements:
            if st.kind != r.kind or st.document != same_document or not _overlap(r.start, r.end, st.start, st.end):
                continue
            if overseer and overseer != st.overseer:
                disagreements.append((st.iri, "the curated relation has another overseer"))
            elif overseen and overseen != st.overseen:
                disagreements.append((st.iri, "the curated relation oversees another body"))
            else:
                return None
        return disagreements[0] if disagreements else None
    for st in facts.statements:
        if st.kind != r.kind:
            continue
        # a body has one host: another host for the same body is a disagreement
        if r.kind == "hosts" and overseen and overseen == st.overseen and overseen not in facts.collective \
                and overseer and overseer != st.overseer and r.status == "done" and st.status == "done":
            return st.iri, "the curated data gives it another host"
    return None


def _claim_conflict(c, facts: _Facts, document: KnownDocument, gaz) -> tuple[URIRef, str] | None:
    """A claim over (half or more of) the words of curated claims, none of them by the same claimant."""
    disagreements = []
    for st in facts.statements:
        if st.kind != "claim" or st.document != document.iri or not _overlap(c.start, c.end, st.start, st.end, 0.5):
            continue
        if c.by_author and document.creator is not None and st.claimant == document.creator:
            return None
        if c.claimant_iri and URIRef(c.claimant_iri) == st.claimant:
            return None
        if not c.claimant_iri and str(st.claimant) in gaz.resolve_label(c.claimant):
            return None
        disagreements.append((st.iri, "the curated claim over these words is attributed to "
                                      f"{facts.labels.get(st.claimant, st.claimant)}"))
    return disagreements[0] if disagreements else None


def _agrees(item, kind: str, facts: _Facts, document: URIRef) -> bool:
    """Whether a curated statement of the same kind stands over (some of) the same words."""
    for st in facts.statements:
        if st.document == document and st.kind == kind and _overlap(item.start, item.end, st.start, st.end):
            return True
    return False


# =====================================================================================================
# Writing one document
# =====================================================================================================

def _record_conflicts(g: Graph, slug: str, doc: URIRef, conflicts: list[Conflict], excerpts: dict) -> None:
    for number, conflict in enumerate(conflicts, 1):
        note = URIRef(f"{ID}conflict/{slug}-{number}")
        target = URIRef(f"{note}#target")
        position, quote = URIRef(f"{note}#position"), URIRef(f"{note}#quote")
        g.add((note, RDF.type, OA.Annotation))
        g.add((note, OA.motivatedBy, OA.assessing))
        g.add((note, OA.hasBody, URIRef(conflict.curated)))
        g.add((note, OA.hasTarget, target))
        g.add((note, SKOS.note, Literal(f"Extracted {conflict.kind}: {conflict.extracted}. Not added: {conflict.reason}; "
                                        f"the curated statement stands.", lang="en")))
        g.add((note, PROV.wasGeneratedBy, INGEST_ACTIVITY))
        g.add((note, DCTERMS.source, doc))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, doc))
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(conflict.start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(conflict.end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(excerpts[id(conflict)])))


def _check(x: Extraction, facts: _Facts, gaz, curated_doc: KnownDocument | None, name: str):
    """Split the extraction into what may be added and the conflicts; count agreement for a curated document."""
    same = curated_doc.iri if curated_doc is not None else None
    conflicts, excerpts, agreeing = [], {}, 0
    keep = {"changes": [], "oversight": [], "claims": []}

    def conflict(kind, item, found, description):
        c = Conflict(name, kind, item.start, item.end, description, str(found[0]), found[1])
        excerpts[id(c)] = item.text
        conflicts.append(c)

    for c in x.changes:
        found = _change_conflict(c, facts, same)
        if found:
            conflict("change", c, found, _describe_change(c))
        else:
            keep["changes"].append(c)
            agreeing += same is not None and _agrees(c, c.kind, facts, same)
    for r in x.oversight:
        found = _oversight_conflict(r, facts, same)
        if found:
            who = f"{r.overseer.label if r.overseer else '?'} {r.kind} {r.overseen.label if r.overseen else '?'}"
            conflict("oversight", r, found, f"{who} ({r.status})")
        else:
            keep["oversight"].append(r)
            agreeing += same is not None and _agrees(r, r.kind, facts, same)
    for c in x.claims:
        found = _claim_conflict(c, facts, curated_doc, gaz) if curated_doc is not None else None
        if found:
            conflict("claim", c, found, f"{c.type} by {c.claimant}: {' '.join(c.text.split())[:80]}")
        else:
            keep["claims"].append(c)
            agreeing += same is not None and _agrees(c, "claim", facts, same)
    return dataclasses.replace(x, **keep), conflicts, excerpts, agreeing


def _curated_record(g: Graph, slug: str, name: str, original: URIRef) -> URIRef:
    """The file as ingested, standing for a curated document: a provenance record, not a second document."""
    record = ID[f"doc/{slug}"]
    g.add((record, RDF.type, PROV.Entity))
    g.add((record, RDFS.label, Literal(f"{name} (the same bytes as a curated document)", lang="en")))
    g.add((record, PROV.alternateOf, original))
    g.add((record, DCTERMS.identifier, Literal(name)))
    g.add((record, PROV.wasGeneratedBy, INGEST_ACTIVITY))
    return record


# =====================================================================================================
# The run
# =====================================================================================================

def _files(directory: Path) -> list[Path]:
    return sorted((p for p in directory.rglob("*") if p.is_file()), key=lambda p: p.relative_to(directory).as_posix())


def ingest(directory: Path, build_dir: Path = Path("build"), *, encodings: tuple[str, ...] = DEFAULT_ENCODINGS,
           max_bytes: int = DEFAULT_MAX_BYTES, incremental: bool = True) -> IngestSummary:
    """Extract every document under `directory` into the build in `build_dir` (see `_ingest`). With
    `incremental` False, the build is read whole and both files are written afresh, and no state is kept: the
    reference the incremental path is tested against."""
    from .scale import garbage_collection_paused
    with garbage_collection_paused():
        return _ingest(Path(directory), Path(build_dir), encodings, max_bytes, incremental)


def _ingest(directory: Path, build_dir: Path, encodings: tuple[str, ...], max_bytes: int,
            incremental: bool = True) -> IngestSummary:
    """Extract every document under `directory` into the build in `build_dir` (see the module's docstring).
    Raises InputError when the folder or the build is missing; every other problem is a skip in the summary.

    The build is never loaded into rdflib's store. What extraction and the conflict checks need from the whole
    graph comes from the state kept beside the build (`nhskg.ingest_state`), or, where there is none yet, from
    an Oxigraph store of the build, and is then kept. When documents are only added, the new lines are spliced
    into the two files as they stand (`nhskg.splice`); when one replaces an earlier version, the export is
    rewritten from the file's own N-Quads lines with the inferred graph recomputed."""
    from rdflib import Dataset

    from .ingest_state import IngestContext, IngestState
    from .store import NQUADS_NAME, TRIG_NAME, atomic_write_all, oxigraph_store

    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(str(directory), "no such folder")
    nquads_path, trig_path = Path(build_dir) / NQUADS_NAME, Path(build_dir) / TRIG_NAME
    if not nquads_path.is_file():
        raise InputError(str(nquads_path), "no built graph here: run `nhskg build` first")
    nquads = nquads_path.read_bytes()
    trig = trig_path.read_bytes() if trig_path.is_file() else None
    state = IngestState(build_dir)
    state.check_usable()
    loaded = state.load(nquads, trig) if incremental else None
    context, index = loaded if loaded is not None else (None, None)
    dataset = None
    if context is None:
        dataset = Dataset(store=oxigraph_store(nquads_path))   # read only: what the build holds
        dataset.default_union = True
    summary = IngestSummary(str(directory), str(build_dir))
    known = context.known if context is not None else _documents(dataset)
    ingested_by_sha = {k.sha256: k for k in known if k.ingested}
    ingested_by_name = {k.name: k for k in known if k.ingested and k.name}
    curated_by_sha = {k.sha256: k for k in known if not k.ingested}
    seen: dict[str, str] = {}

    todo = []          # (result, source, slug, curated document or None)
    dropped = set()    # graphs of earlier versions of a document, replaced
    for path in _files(directory):
        name = path.relative_to(directory.parent).as_posix()
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            summary.documents.append(DocumentResult(name, "skipped", "hidden file"))
            continue
        try:
            source = read_source(path, encodings, max_bytes=max_bytes)
        except InputError as error:
            summary.documents.append(DocumentResult(name, "skipped", error.problem))
            continue
        slug = document_slug(name)
        graph_iri = GRAPH[f"document/{slug}"]
        earlier = ingested_by_sha.get(source.sha256)
        if earlier is not None:
            why = "unchanged since it was ingested" if earlier.name == name else f"the same bytes as {earlier.name}, already ingested"
            summary.documents.append(DocumentResult(name, "unchanged", why, str(earlier.graph)))
            continue
        if source.sha256 in seen:
            summary.documents.append(DocumentResult(name, "unchanged", f"the same bytes as {seen[source.sha256]}"))
            continue
        seen[source.sha256] = name
        curated = curated_by_sha.get(source.sha256)
        previous = ingested_by_name.get(name)
        if previous is not None:
            dropped.add(str(previous.graph))
        if curated is not None:
            result = DocumentResult(name, "curated", f"the same bytes as the curated document {curated.name or curated.iri}; "
                                    "the curated annotations stand", str(graph_iri))
        else:
            result = DocumentResult(name, "replaced" if previous is not None else "added", "", str(graph_iri))
        summary.documents.append(result)
        todo.append((result, source, slug, curated))
    if not todo:
        return summary

    if context is None:
        from .rules import NTRIPLES_TERMS, compile_rules
        from .scale import validation_graph
        from .vocab import GRAPH_ONTOLOGY
        # the ontology as `nhskg build` reasons with it: parsed from the export's lines, literals as written
        in_ontology = f" <{GRAPH_ONTOLOGY}> .\n".encode("utf-8")
        # split at newlines only: a literal may hold characters str.splitlines would split at
        ontology = validation_graph([line.decode("utf-8") + "\n" for line in nquads.split(b"\n")
                                     if (line + b"\n").endswith(in_ontology)])
        context = IngestContext(gazetteer_from_dataset(dataset), _facts(dataset, [k for k in known if not k.ingested]),
                                known, compile_rules(ontology, NTRIPLES_TERMS))
    gaz, facts = context.gazetteer, context.facts
    written: dict[str, Graph] = {}
    new_documents = []
    for result, source, slug, curated in todo:
        try:
            x = Extractor(gaz).run(source)
        except Exception as error:     # a rule tripping on strange text must not stop the other documents
            result.status, result.reason, result.graph = "skipped", f"extraction failed ({type(error).__name__}: {error})", None
            continue
        kept, conflicts, excerpts, agreeing = _check(x, facts, gaz, curated, result.path)
        result.conflicts, result.agreeing = conflicts, agreeing
        g = Graph(identifier=URIRef(result.graph))
        if curated is not None:
            doc = _curated_record(g, slug, result.path, curated.iri)
            result.statements = {}
        else:
            result.statements = write_extraction(g, kept, slug, result.path)
            doc = ID[f"doc/{slug}"]
            g.add((doc, PROV.wasGeneratedBy, INGEST_ACTIVITY))
        _record_conflicts(g, slug, doc, conflicts, excerpts)
        # each graph describes the activity too, so dropping one graph leaves the others whole
        g.add((INGEST_ACTIVITY, RDF.type, PROV.Activity))
        g.add((INGEST_ACTIVITY, RDFS.label, Literal("nhskg ingest: rule-based extraction of a document", lang="en")))
        written[result.graph] = g
        new_documents.append(KnownDocument(URIRef(result.graph), doc, source.sha256, result.path, True))
    if not (written or dropped):
        return summary

    spliced = None
    if incremental and not dropped:
        if index is None:
            index = _joined_by_object(nquads, context.rules)
        # the old TriG is spliced only where the state vouches that it was written with these N-Quads; the
        # first ingest writes it afresh (a TriG edited or left from another build would carry its errors on)
        spliced = _spliced_build(nquads, trig if loaded is not None else None, index, written.values(), context)
    state.discard()      # before the files change: it describes the build as it was
    if spliced is None:
        from . import scale
        from .store import trig_from_nquads
        lines = _rewritten_build(scale.read_nquads(nquads_path), dropped | set(written), written.values())
        atomic_write_all({nquads_path: "".join(lines), trig_path: trig_from_nquads(lines)})
    else:
        new_nquads, new_trig, new_index, update = spliced
        atomic_write_all({nquads_path: new_nquads, trig_path: new_trig})
        if update is not None:
            update.known = new_documents
            update.apply(context)
            if loaded is not None:
                state.append(update, context, new_index, new_nquads, new_trig)
            else:
                state.save(context, new_index, new_nquads, new_trig)
    summary.written = True
    return summary


def _joined_by_object(nquads: bytes, rules) -> bytes:
    """The state's index of a build: the triples of the rules' joined properties as sorted, distinct lines
    `object predicate subject`, read from the build's N-Quads lines."""
    from .rules import NTRIPLES_TERMS, Reasoner
    joined = Reasoner(rules, NTRIPLES_TERMS).joined_properties
    found = set()
    for predicate in sorted(joined):
        needle = b" " + predicate.encode("utf-8") + b" "
        at = nquads.find(needle)
        while at != -1:
            start = nquads.rfind(b"\n", 0, at) + 1
            end = nquads.index(b"\n", at)
            line = nquads[start:end]
            subject, rest = line.split(b" ", 1)
            if start + len(subject) == at:     # the predicate, not the same words inside a literal
                obj = rest[len(needle) - 1:].rsplit(b" ", 2)[0]    # "object <graph> ." without the graph
                found.add(obj + b" " + predicate.encode("utf-8") + b" " + subject + b"\n")
            at = nquads.find(needle, end)
    return b"".join(sorted(found))


def _split_line(line: bytes) -> tuple[str, str, str, str]:
    """An N-Quads line of the build as (subject, predicate, object, graph) N-Triples strings."""
    body, graph = line.decode("utf-8").rstrip("\n").removesuffix(" .").rsplit(" ", 1)
    subject, predicate, obj = body.split(" ", 2)
    return subject, predicate, obj, graph


def _quads_of(graphs) -> list:
    """The quads of rdflib graphs as N-Triples strings, in the form the build's N-Quads lines hold them."""
    from .scale import ntriples_term
    quads = []
    for graph in graphs:
        name = ntriples_term(graph.identifier)
        quads.extend(tuple(ntriples_term(term) for term in triple) + (name,) for triple in graph)
    return quads


def _spliced_build(nquads: bytes, trig: bytes | None, index: bytes, graphs, context):
    """The build's two files with `graphs` (new rdflib graphs) added, and what the ingest state gains:
    (N-Quads, TriG, joined-by-object index, ContextUpdate or None where the name list must be built afresh),
    or None where the compiled rules do not cover the new triples (the caller then rewrites the whole)."""
    import pyoxigraph

    from . import scale
    from .extract import gazetteer_additions
    from .ingest_state import ContextUpdate
    from .rules import NTRIPLES_TERMS, Reasoner
    from .splice import lines_with_prefix, splice_nquads, splice_trig
    from .store import trig_from_nquads
    from .vocab import GRAPH_INFERRED

    inferred_graph = f"<{GRAPH_INFERRED}>"
    joined = Reasoner(context.rules, NTRIPLES_TERMS).joined_properties
    added = _quads_of(graphs)

    def graphs_of(triple):
        return {_split_line(line)[3] for line in lines_with_prefix(nquads, " ".join(triple).encode("utf-8") + b" ")}

    def joined_at(node):
        prefix = node.encode("utf-8") + b" "
        found = [(s, p, o) for s, p, o, _ in map(_split_line, lines_with_prefix(nquads, prefix)) if p in joined]
        for line in lines_with_prefix(index, prefix):
            predicate, subject = line[len(prefix):].decode("utf-8").rstrip("\n").split(" ", 1)
            found.append((subject, predicate, node))
        return found

    change = scale.inferred_change(graphs_of, joined_at, added, context.rules)
    if change is None:
        return None
    no_longer, newly = change
    removed = [f"{s} {p} {o} {inferred_graph} .\n".encode("utf-8") for s, p, o in sorted(no_longer)]
    new_lines = sorted({f"{s} {p} {o} {g} .\n".encode("utf-8") for s, p, o, g in added}
                       | {f"{s} {p} {o} {inferred_graph} .\n".encode("utf-8") for s, p, o in newly})
    new_nquads = splice_nquads(nquads, removed, new_lines)
    touched = {(g, s) for s, _, _, g in map(_split_line, removed + new_lines)}
    if trig is not None:
        new_trig = splice_trig(trig, new_nquads, touched)
    else:
        new_trig = trig_from_nquads(new_nquads.decode("utf-8").split("\n")[:-1]).encode("utf-8")
    new_index = splice_nquads(index, [], [f"{o} {p} {s}\n".encode("utf-8") for s, p, o, _ in added if p in joined]
                              + [f"{o} {p} {s}\n".encode("utf-8") for s, p, o in newly if p in joined])

    # what the name list and the conflict checks gain: everything the grown build says of the new subjects
    subjects = sorted({s for s, _, _, _ in added})
    about = b"".join(line for s in subjects for line in lines_with_prefix(new_nquads, s.encode("utf-8") + b" "))
    quads = [(q.subject.value, q.predicate.value, scale.rdflib_term(q.object, simple_strings=True), q.graph_name.value)
             for q in pyoxigraph.parse(input=about, format=pyoxigraph.RdfFormat.N_QUADS)
             if isinstance(q.subject, pyoxigraph.NamedNode)]
    additions = gazetteer_additions(context.gazetteer, quads)
    if additions is None:
        return new_nquads, new_trig, new_index, None
    update = ContextUpdate(*additions)
    changed = b"".join(new_lines)
    for q in pyoxigraph.parse(input=changed, format=pyoxigraph.RdfFormat.N_QUADS):
        predicate, subject = q.predicate.value, URIRef(q.subject.value) if isinstance(q.subject, pyoxigraph.NamedNode) else None
        if subject is None:
            continue
        if predicate == str(SCHEMA.foundingDate):
            update.founded[subject] = min(update.founded.get(subject, q.object.value), q.object.value)
        elif predicate == str(SCHEMA.dissolutionDate):
            update.dissolved[subject] = max(update.dissolved.get(subject, q.object.value), q.object.value)
        elif predicate == str(NHSKG.isCollective) and scale.rdflib_term(q.object).toPython() is True:
            update.collective.add(subject)
    return new_nquads, new_trig, new_index, update


def _rewritten_build(quads: list, replaced: set[str], graphs) -> list[str]:
    """The build's sorted N-Quads lines with the `replaced` graphs dropped, `graphs` (rdflib graphs) added, and
    the inferred graph recomputed for the result, as `nhskg build` computes it."""
    from . import scale
    from .vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY
    leave_out = {f"<{name}>" for name in replaced} | {f"<{GRAPH_INFERRED}>"}
    asserted = [quad for quad in quads if quad[3] not in leave_out]
    added = _quads_of(graphs)
    ontology_name = f"<{GRAPH_ONTOLOGY}>"
    ontology = scale.validation_graph([f"{s} {p} {o} .\n" for s, p, o, g in asserted if g == ontology_name])
    # Only additions: reason outwards from the new triples. A graph taken away can take conclusions with it,
    # so then the whole is reasoned again.
    took_away = len(asserted) + sum(1 for quad in quads if quad[3] == f"<{GRAPH_INFERRED}>") < len(quads)
    inferred = None if took_away else scale.infer_after_adding(quads, added, ontology)
    if inferred is None:
        inferred = scale.infer(asserted + added, ontology)
    return scale.nquads_lines(asserted + added, inferred)


__all__ = ["ingest", "IngestSummary", "DocumentResult", "Conflict"]
