"""Scoring extraction against curated annotations: precision, recall and F1 per kind, with the misses and
false hits.

What counts as a hit:

- entities: per document, the set of entity IRIs extracted against the IRIs of the curated `mentions`
  (curated ids become IRIs as the loader mints them, linked bodies their register IRI). `type:` entries are
  scored apart, as **types**: the classes of the organisation-type phrases ("GPs", "hospitals") and of the
  collective bodies ("PCTs", "CCGs") found, against the `type:` entries. A body or person the extractor names
  without an IRI (a new entity: the gazetteer did not know it) is scored by name. Its label or its text, in
  comparison form (case folded, spacing collapsed, typographic quotes made plain, "&" read as "and", trailing
  punctuation, a possessive 's and a leading "the" dropped, and a leading "NHS " optional when two or more
  words follow it), must equal the comparison form of a name the graph gives a curated entity of that
  document (its rdfs:label, skos:altLabel or foaf:name, in any graph). New mentions with the same label are
  one item. Items are matched one to one (a maximum bipartite matching) to the curated entities not already
  found by IRI: a matched item is a hit, an item that names no curated entity of the document is a false hit,
  and an item that names only curated entities already counted (by IRI or by another item) is counted neither
  way, so an entity found both by IRI and by name counts once. False hits among them are listed as
  "(new) Label ('text', ...)"; the report's notes give how many items were right, wrong and already counted.
- changes: same kind and overlapping character span; oversight: same kind and overlapping span. A curated
  change or relation without an anchor matches on its kind alone. Matching is one to one (a maximum
  bipartite matching), so two curated relations in one span need two extracted ones.
- claims: overlapping span and the same claimant. The claimant matches when the extractor resolved it to
  the curated claimant's IRI, or when the claim is in the author's own voice and the curated claimant is
  the document's creator. Scored one to one (`claims`) and, as a looser reading, any-overlap
  (`claims-overlap`: an extracted claim is right if it overlaps some curated claim with the same claimant;
  a curated claim is found if some extracted claim does).
- metadata: title, date, author (creator) and publisher right, out of the documents (a document whose creator
  is an anonymous author is right if no author is extracted; one with no curated publisher is right if no
  publisher is extracted).

`holdout=True` evaluates each document with a gazetteer that leaves out every name asserted only in that
document's own curated graph (`document/<slug>`): the local bodies and people, and the aliases curated from
that document. That is the fairer estimate for documents the project has never annotated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import resources
from .corpus import plain
from .errors import InputError
from .extract import Extractor, load_gazetteer, read_source
from .vocab import GRAPH, ID, NHSKG, mint

KINDS = ("entities", "types", "changes", "oversight", "claims", "claims-overlap")


@dataclass
class Score:
    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict
    documents: list
    holdout: bool
    metadata: dict = field(default_factory=dict)       # field -> [right, out of]
    agreement: dict = field(default_factory=dict)      # e.g. claim type right among matched claims
    notes: list = field(default_factory=list)

    def figures(self) -> dict:
        return {k: (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) for k, s in self.scores.items()}

    def render(self, details: bool = False) -> str:
        lines = [f"Extraction against the curated annotations of {len(self.documents)} documents"
                 + (" (leave-one-document-out gazetteer)" if self.holdout else "") + ":",
                 f"{'kind':<16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
        for kind in KINDS:
            s = self.scores[kind]
            lines.append(f"{kind:<16}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
        meta = ", ".join(f"{k} {right}/{total}" for k, (right, total) in self.metadata.items())
        lines.append(f"metadata right: {meta}")
        agree = ", ".join(f"{k} {right}/{total}" for k, (right, total) in self.agreement.items())
        lines.append(f"among matched items: {agree}")
        lines.extend(self.notes)
        if details:
            for kind in KINDS:
                s = self.scores[kind]
                if s.misses:
                    lines.append(f"\n{kind}: missed ({len(s.misses)})")
                    lines.extend(f"  - {m}" for m in s.misses)
                if s.false_hits:
                    lines.append(f"\n{kind}: false hits ({len(s.false_hits)})")
                    lines.extend(f"  + {m}" for m in s.false_hits)
        return "\n".join(lines)


def _data_dir(gold_dir: Path | None) -> tuple[Path, list[Path] | None]:
    """The data folder holding the annotations, and (when given a folder of document files) which ones."""
    if gold_dir is None:
        return resources.DATA_DIR, None
    gold_dir = Path(gold_dir)
    if (gold_dir / "documents").is_dir():
        return gold_dir, None
    files = sorted(gold_dir.glob("*.toml"))
    if files and (gold_dir.parent / "entities.toml").is_file():
        return gold_dir.parent, files
    raise InputError(str(gold_dir), "not a data folder (with documents/) nor a folder of document annotations")


def _matching(pairs: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (predicted index -> gold index) by augmenting paths."""
    owner: dict[int, int] = {}

    def augment(p: int, seen: set) -> bool:
        for g in pairs.get(p, ()):
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in pairs:
        augment(p, set())
    return {p: g for g, p in owner.items()}


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    if b_start is None:
        return True
    return a_start < b_end and b_start < a_end


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def evaluate(gold_dir: Path | None = None, corpus_dir: Path | None = None, kg=None, holdout: bool = False) -> Report:
    """Extract every curated document of `gold_dir` (default: the project's data/) from `corpus_dir` (default
    ../shared/corpus beside the project) and score it. `kg` is a KnowledgeGraph or Dataset for the gazetteer
    (default: the curated data built in memory, without reasoning)."""
    from .annotations import load_annotations
    from .build import build_dataset, load_ontology, ontology_classes

    data_dir, only = _data_dir(gold_dir)
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else resources.ROOT.parent / "shared" / "corpus"
    if not corpus_dir.is_dir():
        raise InputError(str(corpus_dir), "corpus folder does not exist")
    annotations = load_annotations(data_dir, ontology_classes(load_ontology()))
    links = {entity: record.values["register"] for entity, record in annotations.links().items()}

    def iri(ident: str) -> str:
        if ident.startswith("type:"):
            return str(NHSKG[ident[5:]])
        if ident in links:
            return str(ID[f"org/{links[ident]}"])
        record = annotations.index[ident]
        return str(mint(record.section, record.id))

    if kg is None:
        kg = build_dataset(data_dir, profile="none")
    gaz = load_gazetteer(kg)
    dataset = getattr(kg, "dataset", kg)
    entity_tally = {"right": 0, "wrong": 0, "already counted": 0}   # new (IRI-less) entity items, all documents
    scores = {k: Score(k) for k in KINDS}
    metadata = {"title": [0, 0], "date": [0, 0], "author": [0, 0], "publisher": [0, 0]}
    agreement = {"claim type": [0, 0], "change status": [0, 0], "oversight status": [0, 0]}
    documents = []
    for f in annotations.files:
        doc = f.document
        if doc is None or (only is not None and f.path not in only):
            continue
        path = corpus_dir / doc.values["file"]
        source = read_source(path)
        if source.sha256 != doc.values["sha256"]:
            raise InputError(str(path), f"SHA-256 {source.sha256} is not the one {doc.where} records")
        exclude = frozenset({str(GRAPH[f"document/{doc.id}"])}) if holdout else frozenset()
        x = Extractor(gaz, exclude).run(source)
        name = doc.id
        documents.append(name)
        creator = iri(doc.values["creator"]) if "creator" in doc.values else None

        # -- metadata
        metadata["title"][1] += 1
        metadata["title"][0] += plain(" ".join((x.title or "").split())) == plain(doc.values["title"])
        metadata["date"][1] += 1
        metadata["date"][0] += (x.date or None) == doc.values.get("date")
        metadata["author"][1] += 1
        anonymous = creator is not None and annotations.index.get(doc.values["creator"]) is not None and \
            annotations.index[doc.values["creator"]].values.get("name", "").startswith("author of")
        metadata["author"][0] += (x.author is None) if anonymous else (x.author_iri == creator)
        publisher = iri(doc.values["publisher"]) if "publisher" in doc.values else None
        metadata["publisher"][1] += 1
        metadata["publisher"][0] += (x.publisher_iri == publisher) if publisher else (x.publisher is None)

        # -- entities and types
        gold_ids = [m for m in doc.values.get("mentions", []) if not m.startswith("type:")]
        gold = {iri(m): m for m in gold_ids}
        by_name = score_entities(scores["entities"], name, gold, curated_names(dataset, gold), x.entities)
        for key in entity_tally:
            entity_tally[key] += by_name[key]
        gold_types = {str(NHSKG[m[5:]]): m for m in doc.values.get("mentions", []) if m.startswith("type:")}
        found_types = {str(NHSKG[m.type]): m for m in x.entities if m.kind == "type" or m.collective}
        _set_score(scores["types"], name, gold_types, found_types, lambda k: gold_types[k],
                   lambda k: f"type:{k.rsplit('#', 1)[-1]} ({found_types[k].text!r})")

        # -- changes and oversight
        gold_changes = [r for r in f.of("change")]
        _span_score(scores["changes"], name, x.changes, gold_changes,
                    lambda p, g: p.kind == g.values["kind"] and _overlap(p.start, p.end, g.get("start"), g.get("end")),
                    lambda g: f"{g.values['kind']} ({g.values['status']}): {_short(g.get('quote') or g.values['label'])}",
                    lambda p: f"{p.kind} ({p.status}): {_short(p.text)}",
                    agreement["change status"], lambda p, g: p.status == g.values["status"])
        gold_relations = [r for r in f.of("relation")]
        _span_score(scores["oversight"], name, x.oversight, gold_relations,
                    lambda p, g: p.kind == g.values["kind"] and _overlap(p.start, p.end, g.get("start"), g.get("end")),
                    lambda g: f"{g.values['kind']} ({g.values['status']}) {g.values['subject']} -> {g.values['object']}: "
                              f"{_short(g.get('quote') or g.values['label'])}",
                    lambda p: f"{p.kind} ({p.status}) {p.overseer.label if p.overseer else '?'} -> "
                              f"{p.overseen.label if p.overseen else '?'}: {_short(p.text)}",
                    agreement["oversight status"], lambda p, g: p.status == g.values["status"])

        # -- claims
        def claimant_ok(p, g) -> bool:
            want = iri(g.values["claimant"])
            if p.by_author and want == creator:
                return True
            if p.claimant_iri:
                return p.claimant_iri == want
            return want in gaz.resolve_label(p.claimant)

        gold_claims = [r for r in f.of("claim")]
        ok = lambda p, g: _overlap(p.start, p.end, g.values["start"], g.values["end"]) and claimant_ok(p, g)  # noqa: E731
        describe_gold = lambda g: f"{g.values['claimant']}: {_short(g.values['quote'])}"  # noqa: E731
        describe_found = lambda p: f"{p.claimant}: {_short(p.text)}"  # noqa: E731
        _span_score(scores["claims"], name, x.claims, gold_claims, ok, describe_gold, describe_found,
                    agreement["claim type"], lambda p, g: p.type in g.values["type"])
        loose = scores["claims-overlap"]
        for p in x.claims:
            if any(ok(p, g) for g in gold_claims):
                loose.tp += 1
            else:
                loose.fp += 1
                loose.false_hits.append(f"{name}: {describe_found(p)}")
        for g in gold_claims:
            if not any(ok(p, g) for p in x.claims):
                loose.fn += 1
                loose.misses.append(f"{name}: {describe_gold(g)}")
    return Report(scores, documents, holdout, {k: tuple(v) for k, v in metadata.items()},
                  {k: tuple(v) for k, v in agreement.items()},
                  ["entities: names found with no IRI (new entities), scored by name: "
                   + ", ".join(f"{n} {k}" for k, n in entity_tally.items()),
                   "types: the classes of organisation-type phrases and of collective bodies, against the `type:` mentions",
                   "claims-overlap: precision over extracted claims, recall over curated claims, any overlap with the same claimant"])


_TRAILING_PUNCTUATION = ".,;:!?'\""    # after plain(): curly quotes are straight by then


def name_keys(name: str) -> frozenset[str]:
    """The comparison forms of a name (see the module docstring): one, or two when a leading "NHS " may be
    dropped. Empty for a name with no letters or digits."""
    text = " ".join(plain(name).replace("&", " and ").lower().split())
    text = text.rstrip(_TRAILING_PUNCTUATION + " ")
    if text.endswith("'s"):
        text = text[:-2].rstrip(_TRAILING_PUNCTUATION + " ")
    if text.startswith("the "):
        text = text[4:]
    if not any(c.isalnum() for c in text):
        return frozenset()
    keys = {text}
    rest = text[4:] if text.startswith("nhs ") else ""
    if len(rest.split()) >= 2:
        # "NHS West Essex CCG" is "West Essex CCG", but "NHS England" is not "England"
        keys.add(rest)
    return frozenset(keys)


def curated_names(dataset, iris) -> dict[str, frozenset[str]]:
    """Each IRI's name keys from its rdfs:label, skos:altLabel and foaf:name in every graph of `dataset` (an
    rdflib Dataset or Graph), so the names curated from a held-out document still count as right answers."""
    from rdflib import URIRef
    from rdflib.namespace import FOAF, RDFS, SKOS

    graphs = list(dataset.graphs()) if hasattr(dataset, "graphs") else [dataset]
    names: dict[str, frozenset[str]] = {}
    for iri in iris:
        keys: set[str] = set()
        for graph in graphs:
            for predicate in (RDFS.label, SKOS.altLabel, FOAF.name):
                for value in graph.objects(URIRef(iri), predicate):
                    keys |= name_keys(str(value))
        names[iri] = frozenset(keys)
    return names


def score_entities(score: Score, name: str, gold: dict, gold_names: dict, mentions: list) -> dict[str, int]:
    """Score one document's entity mentions: by IRI against `gold` (IRI -> curated id), and the bodies and
    people with no IRI by name against `gold_names` (IRI -> name keys). Returns how the new-name items went:
    right, wrong and already counted."""
    found = {m.iri: m for m in mentions if m.iri}
    new_items: dict[str, list] = {}       # the label's shortest comparison form -> its mentions, in document order
    for m in mentions:
        if m.iri or m.kind == "type":
            continue                      # type phrases are scored as types
        keys = name_keys(m.label) or name_keys(m.text)
        if keys:
            new_items.setdefault(min(keys, key=len), []).append(m)
    unfound = [iri for iri in gold if iri not in found]
    item_keys = [frozenset().union(*(name_keys(m.label) | name_keys(m.text) for m in group))
                 for group in new_items.values()]
    named = [[iri for iri in gold if gold_names.get(iri, frozenset()) & keys] for keys in item_keys]
    pairs = {i: [j for j, iri in enumerate(unfound) if iri in candidates] for i, candidates in enumerate(named)}
    matched = _matching(pairs)
    by_name = {unfound[j] for j in matched.values()}

    for key in gold:
        if key in found or key in by_name:
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{name}: {gold[key]}")
    for key, m in found.items():
        if key not in gold:
            score.fp += 1
            score.false_hits.append(f"{name}: {m.label} ({m.text!r})")
    tally = {"right": len(matched), "wrong": 0, "already counted": 0}
    for i, group in enumerate(new_items.values()):
        if i in matched:
            continue
        if named[i]:
            tally["already counted"] += 1
            continue
        tally["wrong"] += 1
        score.fp += 1
        texts = ", ".join(dict.fromkeys(repr(m.text) for m in group))
        score.false_hits.append(f"{name}: (new) {group[0].label} ({texts})")
    return tally


def _set_score(score: Score, name: str, gold: dict, found: dict, describe_gold, describe_found) -> None:
    for key in gold:
        if key in found:
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{name}: {describe_gold(key)}")
    for key in found:
        if key not in gold:
            score.fp += 1
            score.false_hits.append(f"{name}: {describe_found(key)}")


def _span_score(score: Score, name: str, predicted: list, gold: list, compatible, describe_gold, describe_found,
                agreement: list | None = None, agrees=None) -> None:
    pairs = {i: [j for j, g in enumerate(gold) if compatible(p, g)] for i, p in enumerate(predicted)}
    matched = _matching(pairs)
    score.tp += len(matched)
    score.fp += len(predicted) - len(matched)
    score.fn += len(gold) - len(matched)
    hit_gold = set(matched.values())
    for j, g in enumerate(gold):
        if j not in hit_gold:
            score.misses.append(f"{name}: {describe_gold(g)}")
    for i, p in enumerate(predicted):
        if i not in matched:
            score.false_hits.append(f"{name}: {describe_found(p)}")
    if agreement is not None:
        for i, j in matched.items():
            agreement[1] += 1
            agreement[0] += bool(agrees(predicted[i], gold[j]))
