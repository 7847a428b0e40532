"""Reading the curated TOML annotations in data/ and checking them against their documented schema.

The schema is data/README.md. Every problem is reported as an InputError naming the file and the field path.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")

GENRES = ("blog-post", "newsletter-article", "press-release", "news-article", "board-paper")
CHANGE_KINDS = ("merger", "split", "replacement", "abolition", "establishment", "renaming", "transfer",
                "change-of-type")
STATUSES = ("done", "planned", "proposed", "predicted", "rejected")
RELATION_KINDS = ("hosts", "authorises", "performance-manages", "regulates", "delegates-to",
                  "may-refer-plans-back-to", "commissions-from", "advises", "oversees")
CLAIM_TYPES = ("prediction", "criticism", "recommendation", "estimate", "assertion")
ANCHOR_KEYS = ("quote", "prefix", "suffix", "start", "end")


# Field kinds: how a value is checked. Reference kinds are checked once every file is read.
STR, TEXT, INT, NUM, BOOL, DATE, IRI, SLUGV, CLASSV = ("str", "text", "int", "num", "bool", "date", "iri",
                                                        "slug", "class")


def REF(*kinds):
    return ("ref", kinds)


def REFS(*kinds):
    return ("refs", kinds)


def ENUM(*values):
    return ("enum", values)


def LIST(item):
    return ("list", item)


ANCHOR_FIELDS = {"quote": TEXT, "prefix": TEXT, "suffix": TEXT, "start": INT, "end": INT}

SCHEMAS = {
    "body": ({"id": SLUGV, "type": CLASSV, "label": STR},
             {"aliases": LIST(STR), "start": DATE, "end": DATE, "collective": BOOL, "parent": REF("body"),
              "ods": STR, "gss": STR, "wikidata": STR, "note": TEXT, "source": IRI}),
    "person": ({"id": SLUGV, "name": STR},
               {"honorific": STR, "aliases": LIST(STR), "note": TEXT}),
    "membership": ({"id": SLUGV, "person": REF("person"), "body": REF("body"), "role": SLUGV},
                   {"date": DATE, "note": TEXT}),
    "document": ({"id": SLUGV, "file": STR, "sha256": STR, "title": STR, "genre": ENUM(*GENRES)},
                 {"date": DATE, "creator": REF("person", "body"), "publisher": REF("body"), "url": IRI,
                  "mentions": REFS("body", "person", "type"), "note": TEXT}),
    "change": ({"id": SLUGV, "kind": ENUM(*CHANGE_KINDS), "status": ENUM(*STATUSES), "label": STR},
               {"date": DATE, "from": REFS("body"), "into": REFS("body"), "body": REF("body"), "from_parent": REF("body"),
                "to_parent": REF("body"), "old_name": STR, "new_name": STR, "note": TEXT, **ANCHOR_FIELDS}),
    "relation": ({"id": SLUGV, "kind": ENUM(*RELATION_KINDS), "subject": REF("body"), "object": REF("body"),
                  "status": ENUM(*STATUSES), "label": STR},
                 {"since": DATE, "until": DATE, "note": TEXT, **ANCHOR_FIELDS}),
    "claim": ({"id": SLUGV, "type": ("claimtype", None), "claimant": REF("person", "body"),
               "about": REFS("body", "person", "type", "model"), "summary": STR, "quote": TEXT,
               "start": INT, "end": INT},
              {"reported_by": REF("person", "body"), "date": DATE, "prefix": TEXT, "suffix": TEXT,
               "quantity": ("tables", "quantity"), "expectation": ("table", "expectation"), "note": TEXT}),
    "expectation": ({"query": SLUGV, "period": STR, "measure": STR, "comparison": ENUM("<", "<=", "=", ">=", ">"),
                     "target": NUM}, {"params": ("params", None), "note": TEXT}),
    "quantity": ({"value": NUM},
                 {"currency": STR, "unit": STR, "bound": ENUM("lower", "upper")}),
    "link": ({"entity": REF("body"), "register": STR, "reason": TEXT}, {"score": NUM}),
    "unlinked": ({"entity": REF("body"), "reason": TEXT}, {}),
    "act": ({"id": SLUGV, "title": STR, "legislation": STR, "date": DATE}, {"note": TEXT}),
    "model": ({"id": SLUGV, "class": CLASSV, "label": STR, "start": DATE},
              {"source": IRI, "citation": TEXT, "aliases": LIST(STR), "end": DATE, "preceded_by": REFS("model"), "established_under": REFS("act"),
               "abolished_under": REFS("act"), "note": TEXT}),
}

FILE_SECTIONS = {
    "entities": {"body", "person", "membership"},
    "background": {"act", "model"},
    "links": {"link", "unlinked"},
    "document": {"document", "body", "person", "membership", "change", "relation", "claim"},
}


@dataclass
class Record:
    """One table of an annotation file, checked, with where it came from."""
    section: str
    values: dict
    where: str
    source_file: Path

    @property
    def id(self) -> str:
        return self.values.get("id") or self.values["entity"]

    def get(self, key, default=None):
        return self.values.get(key, default)

    def at(self, key: str) -> str:
        return f"{self.where}.{key}"


@dataclass
class AnnotationFile:
    path: Path
    role: str  # entities | background | document
    records: list[Record] = field(default_factory=list)

    def of(self, section: str) -> list[Record]:
        return [r for r in self.records if r.section == section]

    @property
    def document(self) -> Record | None:
        docs = self.of("document")
        return docs[0] if docs else None


def _check_value(kind, value, where: str):
    if isinstance(kind, tuple):
        tag, arg = kind
        if tag == "enum":
            if value not in arg:
                raise InputError(where, f"{value!r} is not one of: {', '.join(arg)}")
            return value
        if tag == "list":
            if not isinstance(value, list):
                raise InputError(where, f"expected a list, got {type(value).__name__}")
            return [_check_value(arg, v, f"{where}[{i}]") for i, v in enumerate(value)]
        if tag == "ref":
            if not isinstance(value, str):
                raise InputError(where, f"expected an identifier, got {value!r}")
            return value
        if tag == "refs":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(where, "expected a list of identifiers")
            if len(set(value)) != len(value):
                raise InputError(where, "lists the same identifier twice")
            return value
        if tag == "claimtype":
            values = value if isinstance(value, list) else [value]
            if not values:
                raise InputError(where, "needs at least one claim type")
            for i, v in enumerate(values):
                if v not in CLAIM_TYPES:
                    raise InputError(f"{where}[{i}]" if isinstance(value, list) else where,
                                     f"{v!r} is not one of: {', '.join(CLAIM_TYPES)}")
            return values
        raise AssertionError(tag)
    if kind in (STR, TEXT, IRI):
        if not isinstance(value, str):
            raise InputError(where, f"expected a string, got {value!r}")
        if kind == STR and (not value.strip() or value != value.strip()):
            raise InputError(where, "must be non-empty, without leading or trailing spaces")
        if kind == IRI and not re.match(r"^https?://\S+$", value):
            raise InputError(where, f"{value!r} is not an http(s) IRI")
        return value
    if kind == SLUGV:
        if not isinstance(value, str) or not SLUG.match(value):
            raise InputError(where, f"{value!r} is not a slug (lower-case letters, digits and single hyphens)")
        return value
    if kind == CLASSV:
        if not isinstance(value, str) or not CLASS_NAME.match(value):
            raise InputError(where, f"{value!r} is not a class name")
        return value
    if kind == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(where, f"expected a whole number, got {value!r}")
        return value
    if kind == NUM:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InputError(where, f"expected a number, got {value!r}")
        return value
    if kind == BOOL:
        if not isinstance(value, bool):
            raise InputError(where, f"expected true or false, got {value!r}")
        return value
    if kind == DATE:
        from .dates import parse_date
        parse_date(value, where)
        return value.isoformat() if hasattr(value, "isoformat") else value
    raise AssertionError(kind)


def check_table(section: str, table, where: str, source_file: Path) -> Record:
    if not isinstance(table, dict):
        raise InputError(where, f"expected a table, got {type(table).__name__}")
    required, optional = SCHEMAS[section]
    unknown = sorted(set(table) - set(required) - set(optional))
    if unknown:
        raise InputError(f"{where}.{unknown[0]}", f"unknown field (a {section} takes: "
                                                  f"{', '.join(list(required) + list(optional))})")
    for key in required:
        if key not in table:
            raise InputError(f"{where}.{key}", "required field is missing")
    values = {}
    for key, value in table.items():
        kind = required.get(key, optional.get(key))
        if kind == ("table", "expectation"):
            values[key] = check_table("expectation", value, f"{where}.{key}", source_file).values
            continue
        if kind == ("params", None):
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise InputError(f"{where}.{key}", "expected a table of text values, e.g. { class = \"ClinicalCommissioningGroup\" }")
            values[key] = dict(value)
            continue
        if kind == ("tables", "quantity"):
            if not isinstance(value, list):
                raise InputError(f"{where}.{key}", "expected [[...quantity]] tables")
            values[key] = [check_table("quantity", q, f"{where}.{key}[{i}]", source_file).values
                           for i, q in enumerate(value)]
        else:
            values[key] = _check_value(kind, value, f"{where}.{key}")
    record = Record(section, values, where, source_file)
    _check_record_rules(record)
    return record


def _check_record_rules(record: Record) -> None:
    """Rules that tie fields of one record together."""
    v = record.values
    present = [k for k in ("quote", "start", "end") if k in v]
    if record.section in ("change", "relation", "claim") and present and len(present) != 3:
        missing = next(k for k in ("quote", "start", "end") if k not in v)
        raise InputError(record.at(missing), "an anchor needs quote, start and end together")
    if record.section == "change":
        kind = v["kind"]
        needs = {"merger": ("from",), "split": ("from", "into"), "replacement": ("from", "into"),
                 "abolition": ("from",), "establishment": ("into",), "renaming": ("body", "old_name", "new_name"),
                 "transfer": ("body", "to_parent"), "change-of-type": ("from", "into")}[kind]
        for key in needs:
            if not v.get(key):
                raise InputError(record.at(key), f"a {kind} needs '{key}'")
        overlap = set(v.get("from", [])) & set(v.get("into", []))
        if overlap:
            raise InputError(record.at("into"), f"{sorted(overlap)[0]!r} is both original and resulting: "
                                                "a body cannot be its own predecessor")
        if kind == "split" and len(v["into"]) < 2:
            raise InputError(record.at("into"), "a split needs two or more resulting bodies")
    if record.section == "quantity":
        if "currency" in v and not re.match(r"^[A-Z]{3}$", v["currency"]):
            raise InputError(record.at("currency"), f"{v['currency']!r} is not an ISO 4217 currency code")
        if "currency" not in v and "unit" not in v:
            raise InputError(record.where, "a quantity needs a currency or a unit")
    if record.section == "model" and "source" not in v and "citation" not in v:
        raise InputError(record.at("source"), "a background fact needs a source IRI or a citation")
    if record.section == "document" and not re.match(r"^[0-9a-f]{64}$", v["sha256"]):
        raise InputError(record.at("sha256"), "not a SHA-256 digest (64 lower-case hexadecimal digits)")
    if record.section == "act" and not re.match(r"^[a-z]+/\d{4}/\d+$", v["legislation"]):
        raise InputError(record.at("legislation"), "expected a legislation.gov.uk path such as 'ukpga/2012/7'")
    begin, finish = ("since", "until") if record.section == "relation" else ("start", "end")
    if record.section in ("body", "relation", "model") and begin in v and finish in v:
        from .dates import parse_date
        _, _, first, _ = parse_date(v[begin], record.at(begin))
        _, _, _, last = parse_date(v[finish], record.at(finish))
        if last < first:
            raise InputError(record.at(finish), f"ends ({v[finish]}) before it starts ({v[begin]})")


def read_annotation_file(path: Path, role: str, display: str | None = None) -> AnnotationFile:
    name = display or str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(name, f"not UTF-8 (byte {error.start})") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise InputError(name, f"malformed TOML: {error}") from None
    allowed = FILE_SECTIONS[role]
    result = AnnotationFile(path, role)
    for section in sorted(data, key=list(data).index):
        if section not in allowed:
            raise InputError(f"{name}: {section}", f"unknown section (this file takes: {', '.join(sorted(allowed))})")
        tables = data[section]
        if section == "document":
            if not isinstance(tables, dict):
                raise InputError(f"{name}: document", "expected one [document] table")
            result.records.append(check_table(section, tables, f"{name}: document", path))
            continue
        if not isinstance(tables, list):
            raise InputError(f"{name}: {section}", f"expected [[{section}]] tables")
        for i, table in enumerate(tables):
            result.records.append(check_table(section, table, f"{name}: {section}[{i}]", path))
    if role == "document" and result.document is None:
        raise InputError(name, "a document file needs a [document] table")
    return result


# Commissioning models and Acts have identifiers of their own namespace, so that the model
# "primary-care-trusts" and the body "primary-care-trusts" (all PCTs together) can share a slug.
# Where a field takes several kinds, a model is written "model:<id>".
PREFIXED_SECTIONS = ("model", "act")


def index_key(section: str, identifier: str) -> str:
    return f"{section}:{identifier}" if section in PREFIXED_SECTIONS else identifier


@dataclass
class Annotations:
    """Every annotation file of a data folder, cross-checked."""
    files: list[AnnotationFile]
    index: dict[str, Record]  # identifier -> the record that defines it

    def records(self, section: str) -> list[Record]:
        return [r for f in self.files for r in f.of(section)]

    def links(self) -> dict[str, Record]:
        """Curated body id -> its accepted link to a register entry."""
        found = {}
        for record in self.records("link"):
            if record.values["entity"] in found:
                raise InputError(record.at("entity"), f"{record.values['entity']!r} is linked twice")
            found[record.values["entity"]] = record
        return found


def load_annotations(data_dir: Path, known_classes: set[str]) -> Annotations:
    """Read entities.toml, background.toml and documents/*.toml and check every cross-reference."""
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "data folder does not exist")
    files = []
    for name, role in (("entities.toml", "entities"), ("background.toml", "background")):
        path = data_dir / name
        if not path.is_file():
            raise InputError(str(path), "missing")
        files.append(read_annotation_file(path, role, f"{data_dir.name}/{name}"))
    if (data_dir / "links.toml").is_file():
        files.append(read_annotation_file(data_dir / "links.toml", "links", f"{data_dir.name}/links.toml"))
    documents = sorted((data_dir / "documents").glob("*.toml"))
    if not documents:
        raise InputError(str(data_dir / "documents"), "no document annotations (*.toml)")
    for path in documents:
        files.append(read_annotation_file(path, "document", f"{data_dir.name}/documents/{path.name}"))

    index: dict[str, Record] = {}
    for f in files:
        for record in f.records:
            if record.section in ("link", "unlinked"):
                continue
            key = index_key(record.section, record.id)
            if key in index:
                raise InputError(record.at("id"), f"duplicate identifier {record.id!r} "
                                                  f"(first defined at {index[key].where})")
            index[key] = record
    seen_files: dict[str, str] = {}
    for f in files:
        doc = f.document
        if doc is not None:
            if doc.id != f.path.stem:
                raise InputError(doc.at("id"), f"the document id {doc.id!r} must match the file name {f.path.stem!r}")
            if doc.get("file") in seen_files:
                raise InputError(doc.at("file"), f"also annotated by {seen_files[doc.get('file')]}")
            seen_files[doc.get("file")] = doc.where
        for record in f.records:
            _check_references(record, index, known_classes)
    return Annotations(files, index)


def _check_references(record: Record, index: dict[str, Record], known_classes: set[str]) -> None:
    required, optional = SCHEMAS[record.section]
    specs = {**required, **optional}
    for key, value in record.values.items():
        kind = specs.get(key)
        if kind == CLASSV and value not in known_classes:
            raise InputError(record.at(key), f"{value!r} is not a class of the ontology")
        if not (isinstance(kind, tuple) and kind[0] in ("ref", "refs")):
            continue
        allowed = kind[1]
        for i, ref in enumerate([value] if kind[0] == "ref" else value):
            where = record.at(key) if kind[0] == "ref" else f"{record.at(key)}[{i}]"
            if ref.startswith("type:"):
                if "type" not in allowed:
                    raise InputError(where, f"{ref!r}: a type cannot stand here")
                if ref[5:] not in known_classes:
                    raise InputError(where, f"{ref!r}: {ref[5:]!r} is not a class of the ontology")
                continue
            if ":" not in ref and allowed in (("model",), ("act",)):
                ref = f"{allowed[0]}:{ref}"
            target = index.get(ref)
            if target is None:
                raise InputError(where, f"unknown entity {ref!r}")
            if target.section not in allowed:
                raise InputError(where, f"{ref!r} is a {target.section}, expected a {' or '.join(allowed)}")
