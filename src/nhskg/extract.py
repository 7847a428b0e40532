"""Extraction from documents nobody has annotated: metadata, entity mentions, organisational changes,
oversight relations and claims, each with the character span it came from.

Rules are written for the genre (news items, blog posts, press releases, newsletters and board papers about
NHS commissioning), with the standard library only: a gazetteer trie over word tokens built from the graph
(labels, aliases, ODS codes, register names with their organisation heads, ontology class names and built-in
abbreviations), regular expressions for cues, and a small quote tracker for speech.

The JSON form (`Extraction.to_json()`) is stable, format version 1::

    {"document": {"path", "sha256", "title", "date", "author", "publisher"},
     "entities":  [{"text", "start", "end", "type", "iri", "label"}],
     "changes":   [{"kind", "status", "from": [labels], "into": label, "date", "start", "end", "text"}],
     "oversight": [{"kind", "overseer", "overseen", "start", "end", "text"}],
     "claims":    [{"type", "claimant", "about": [labels], "start", "end", "text"}]}

Offsets count Unicode code points of the file's text (decoded UTF-8, no newline translation), and every
`text` is `file_text[start:end]`; non-breaking spaces and curly quotes are compared in their plain forms one
character for one (`corpus.plain`), so they shift nothing. HTML is not parsed into a new string: markup is
blanked in place (tags, comments, scripts and styles become spaces, block tags a newline, a character
reference its character padded with spaces; the whole <head> is blanked, its <title> and author <meta> read
as metadata), so offsets still index the file's text and `text` is that blanked text at those offsets; it
equals the file's own characters wherever no markup falls inside a span.

`extract_document(path, kg)` takes a KnowledgeGraph, an rdflib Dataset, a build folder or a Gazetteer; with
None it uses the built-in abbreviations and organisation types only (no IRIs for curated or register bodies).

Bodies and people the graph does not know are found by the genre's ways of naming them: capitalised words
ending in an organisation head ("Barsetshire and Wessex Clinical Commissioning Group", "Barset LMC") or
beginning with one ("the Royal College of Nursing", "the Association of ...", "Healthwatch Barsetshire"), "NHS"
and a place ("NHS Barsetshire", typed by the document's date), a place and a lower-case head after a
determiner ("the East Barset group"), several places sharing a plural head ("Northfield and Southfield
CCGs"), an abbreviation defined in brackets or made of a named body's initials, a short name after the full
one ("Pulse" after "Pulse Magazine"), a web site named as a source, and people by honorific, speech verb,
role ("Jane Smith, chair of ...", "clinical chair Jane Smith") or a line under a quotation. Places are the
register's place words or English place-name endings; sentence openers, headline words and "Members of" are
trimmed off, and a name of generic words only is none. Each such mention is typed from its head and gets a
method of its own (`org-head`, `nhs-place`, `place-head`, `abbreviation-defined`, `short-name`, `web-name`,
`person-role`, `person-attribution`); a constructed name the gazetteer knows whole resolves to that entity.

`type` of an entity is a local class name of the ontology (or `Person`); `iri` is null for a body or person
the graph does not know (a new entity, minted on ingest) and for a bare organisation-type phrase ("GPs",
"hospitals") with no collective entity. A change's `date` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as far as the
text says, relative dates ("this week", "last April", "next year") resolved against the document's date.
For a transfer, `from` holds the body that moves and `into` the body it moves to. A claim's `claimant` is
the label of the person or body it is attributed to; claims in the author's own voice carry the document's
author (or publisher) or, when the page names neither, `(author)`. A claim's `type` is one of prediction,
recommendation, estimate, criticism, assertion (the first that applies, in that order).

"it", "they", "the trust", "the group" (and "the board", "the council" ...) as the subject of a change,
oversight or speech cue stand for the body that was the subject of an earlier sentence or clause of the same
paragraph, agreeing in number and kind, never a person; they appear among the entities with the method
`anaphor`, and what rests on them carries `+anaphor` in its method and a lower confidence. The publisher
comes from the page's web address, a letterhead, a newsletter's masthead, "published by" / "issued by" /
copyright lines, a closing line that is only an organisation's name, or a body the author writes of as "we";
in a body's own page, "the LMC" or "the CCG" is that body.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import plain
from .errors import InputError

FORMAT_VERSION = 1
AUTHOR_UNKNOWN = "(author)"
MAX_BYTES = 64 * 1024 * 1024          # refuse anything larger: a document, not a data dump
BASE_IRI = "https://w3id.org/nhskg/"
ID = BASE_IRI + "id/"
NHSKG = BASE_IRI + "ontology#"


# =====================================================================================================
# Reading
# =====================================================================================================

_HTML_SNIFF = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<!--|<meta\b|<div\b|<p\b)", re.I)
_HTML_DROP = re.compile(r"<!--.*?-->|<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>|<\?[^<>]*>")
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|td|th|table|section|article|header|footer|blockquote"
                         r"|title|pre|hr|dd|dt|dl|figure|figcaption|main|nav|aside|form|address)\b", re.I)
_HTML_REF = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _blank(match: re.Match) -> str:
    chunk = match.group(0)
    block = bool(_HTML_BLOCK.match(chunk)) or chunk.lower().startswith(("<!--",))
    keep = "".join("\n" if c == "\n" else " " for c in chunk)
    if block and "\n" not in keep:
        keep = "\n" + keep[1:]
    return keep


def _unref(match: re.Match) -> str:
    ref = match.group(0)
    char = html.unescape(ref)
    if len(char) != 1:
        return ref
    if char in "“‘([{«¿¡":
        return " " * (len(ref) - 1) + char     # keep an opening mark next to the word it opens
    return char + " " * (len(ref) - 1)


def mask_html(text: str) -> str:
    """The text with its markup blanked in place: same length, so offsets still index the file's text."""
    text = _HTML_DROP.sub(_blank, text)
    text = _HTML_TAG.sub(_blank, text)
    return _HTML_REF.sub(_unref, text)


def looks_like_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML_SNIFF.match(text[:512]))


@dataclass
class Source:
    path: Path
    sha256: str
    raw: str            # the file's text as decoded
    text: str           # what is analysed: raw, or raw with its markup blanked (same length)
    encoding: str
    html: bool


def read_source(path: Path, encodings: tuple[str, ...] = ("utf-8",), max_bytes: int = MAX_BYTES) -> Source:
    """Read one document. Refuses (InputError naming the file) an empty, binary, oversized or undecodable one.

    `encodings` are tried in order; the default takes UTF-8 only. Pass ("utf-8", "cp1252") to accept the
    usual Windows-encoded pages; offsets then count code points of the text as decoded with that encoding.
    A file that opens with a UTF-16 byte-order mark is read as UTF-16 whatever `encodings` says.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(str(path), f"too large to be a document ({size} bytes; the limit is {max_bytes})")
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None
    if raw_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)       # its NUL bytes are not binary content
    elif b"\x00" in raw_bytes[:65536]:
        raise InputError(str(path), "binary file (NUL bytes), not text")
    if not raw_bytes.strip():
        raise InputError(str(path), "empty file")
    text, used, problems = None, None, []
    for encoding in encodings:
        try:
            text, used = raw_bytes.decode(encoding), encoding
            break
        except UnicodeDecodeError as error:
            problems.append(f"not {encoding} (byte {error.start}: {error.reason})")
        except LookupError:
            problems.append(f"unknown encoding {encoding!r}")
    if text is None:
        raise InputError(str(path), "; ".join(problems))
    if text.startswith("\ufeff"):
        text = " " + text[1:]          # keep offsets, drop the byte-order mark from the analysis
    if not text.strip():
        raise InputError(str(path), "empty file (no text)")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError(str(path), "binary file (control characters), not text")
    is_html = looks_like_html(path, text)
    analysed = mask_html(text) if is_html else text
    return Source(path, hashlib.sha256(raw_bytes).hexdigest(), text, analysed, used, is_html)


# =====================================================================================================
# The gazetteer
# =====================================================================================================

TOKEN = re.compile(r"\w+(?:[.&-]\w+)*")
STOP = {"the", "of", "and", "for", "in", "on", "a", "an", "to", "&", "upon", "at", "by", "with"}


@dataclass(frozen=True)
class Entry:
    """One thing a name can denote."""
    iri: str | None
    label: str
    type: str            # ontology class local name, or "Person"
    kind: str            # body | person | type
    rank: int            # 0 curated, 1 document, 2 register, 3 built in: lower wins
    collective: bool = False
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Variant:
    entry: Entry
    tokens: tuple        # the name's own tokens, case kept
    mode: str            # exact | cap | proper | any
    graphs: frozenset    # named graphs the name comes from (for leave-one-out evaluation)
    method: str


def _norm_gap(gap: str) -> str:
    squeezed = "".join(gap.split())
    return squeezed if squeezed else " "


def _case_mode(tokens: list[str]) -> str:
    content = [t for t in tokens if t.lower() not in STOP]
    if not content:
        return "any"
    if len(content) == 1:
        word = content[0]
        return "cap" if word == word.lower() else "exact"
    if all(t[:1].isupper() or t[:1].isdigit() for t in content):
        return "proper"
    return "any"


def _case_ok(variant: Variant, found: list[str]) -> bool:
    mode = variant.mode
    if mode == "any":
        return True
    name = variant.tokens
    if mode == "exact":
        for want, got in zip(name, found):
            if want.lower() in STOP:
                continue
            if want != got:
                return False
        return True
    if mode == "cap":
        for want, got in zip(name, found):
            if want.lower() in STOP:
                continue
            if not (got == want or got == want[:1].upper() + want[1:] or got == want.upper()):
                return False
        return True
    # proper: the name's capitalised words are capitalised in the text (all-lower text is a common noun)
    content = [(w, g) for w, g in zip(name, found) if w.lower() not in STOP]
    caps = sum(1 for w, g in content if g[:1].isupper() or g[:1].isdigit())
    return caps * 2 >= len(content) and (content[0][1][:1].isupper() or content[0][1][:1].isdigit())


def plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith("consortium"):
        return word[:-2] + "a"
    if lower.endswith("y") and not lower.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.isupper():
        return word + "s"
    return word + "s"


# Abbreviations and organisation-type phrases the extractor knows without a graph. Each maps to an ontology
# class and, where the graph has one, the entity (a collective body, or the one body of that kind).
ABBREVIATIONS = {
    # abbreviation: (class, expansion, slug of the entity it usually denotes)
    "PCT": ("PrimaryCareTrust", "Primary Care Trust", "primary-care-trusts"),
    "PCG": ("PrimaryCareGroup", "Primary Care Group", "primary-care-groups"),
    "CCG": ("ClinicalCommissioningGroup", "Clinical Commissioning Group", "clinical-commissioning-groups"),
    "NCB": ("NHSCommissioningBoard", "NHS Commissioning Board", "nhs-england"),
    "NHSCB": ("NHSCommissioningBoard", "NHS Commissioning Board", "nhs-england"),
    "NHSE": ("NHSCommissioningBoard", "NHS England", "nhs-england"),
    "HWB": ("HealthAndWellbeingBoard", "Health and Wellbeing Board", "health-and-wellbeing-boards"),
    "CSU": ("CommissioningSupportUnit", "Commissioning Support Unit", "commissioning-support-units"),
    "STP": ("SustainabilityAndTransformationPartnership", "Sustainability and Transformation Partnership",
            "sustainability-and-transformation-partnerships"),
    "ICB": ("IntegratedCareBoard", "Integrated Care Board", "integrated-care-boards"),
    "ICS": ("IntegratedCareSystem", "Integrated Care System", None),
    "LMC": ("LocalMedicalCommittee", "Local Medical Committee", "local-medical-committees"),
    "DH": ("DepartmentOfState", "Department of Health", "department-of-health"),
    "DoH": ("DepartmentOfState", "Department of Health", "department-of-health"),
    "DHSC": ("DepartmentOfState", "Department of Health and Social Care", "department-of-health"),
    "SHA": ("StrategicHealthAuthority", "Strategic Health Authority", "strategic-health-authorities"),
    "PBC": ("PracticeBasedCommissioningGroup", "practice-based commissioning", "practice-based-commissioning-groups"),
    "CQC": ("Regulator", "Care Quality Commission", None),
    "GMC": ("ProfessionalRegulator", "General Medical Council", "general-medical-council"),
}
# phrase: class. Plural forms are added for the count nouns.
TYPE_PHRASES = {
    "GP": "GeneralPractice", "general practice": "GeneralPractice", "GP practice": "GeneralPractice",
    "GP surgery": "GeneralPractice", "practices": "GeneralPractice",
    "hospital": "Hospital", "acute trust": "NHSTrust", "NHS trust": "NHSTrust", "foundation trust": "NHSTrust",
    "NHS foundation trust": "NHSTrust", "provider": "HealthcareProvider", "health provider": "HealthcareProvider",
    "private provider": "HealthcareProvider", "council": "LocalAuthority", "local authority": "LocalAuthority",
    "county council": "LocalAuthority", "commissioner": "CommissioningBody",
    "commissioning colleagues": "CommissioningBody", "health and social care organisation": "HealthBody",
    "NHS organisation": "HealthBody", "NHS body": "HealthBody", "health body": "HealthBody",
    "clinical commissioning group": "ClinicalCommissioningGroup", "primary care trust": "PrimaryCareTrust",
    "commissioning group": "ClinicalCommissioningGroup", "local commissioning group": "ClinicalCommissioningGroup",
    "primary care group": "PrimaryCareGroup", "health authority": "HealthAuthority",
    "strategic health authority": "StrategicHealthAuthority", "GP consortium": "GPCommissioningConsortium",
    "GP commissioning consortium": "GPCommissioningConsortium", "commissioning consortium": "GPCommissioningConsortium",
    "health and wellbeing board": "HealthAndWellbeingBoard", "clinical senate": "ClinicalSenate",
    "clinical network": "ClinicalNetwork", "commissioning support unit": "CommissioningSupportUnit",
    "integrated care board": "IntegratedCareBoard", "integrated care system": "IntegratedCareSystem",
    "local medical committee": "LocalMedicalCommittee", "area team": "NHSEnglandAreaTeam",
    "regulator": "Regulator", "GP fundholder": "GPFundholdingPractice", "local government": "LocalAuthority", "fundholding practice": "GPFundholdingPractice",
}
UNCOUNTABLE = {"general practice", "commissioning colleagues", "practices"}
COMMON_BODIES = {
    # names of well-known bodies, for use without a graph
    "NHS England": ("NHSCommissioningBoard", "nhs-england"), "NHS Commissioning Board": ("NHSCommissioningBoard", "nhs-england"),
    "Department of Health": ("DepartmentOfState", "department-of-health"), "Monitor": ("HealthcareSectorRegulator", "monitor"),
    "NHS Improvement": ("HealthcareSectorRegulator", None), "Care Quality Commission": ("Regulator", None),
    "the government": ("GovernmentBody", "uk-government"), "Government": ("GovernmentBody", "uk-government"),
    "government": ("GovernmentBody", "uk-government"), "Governments": ("GovernmentBody", "uk-government"),
    "ministers": ("GovernmentBody", "uk-government"),
    "NHS Alliance": ("MembershipBody", "nhs-alliance"), "NHS Confederation": ("MembershipBody", None),
    "NHS Clinical Commissioners": ("MembershipBody", None), "British Medical Association": ("MembershipBody", None),
    "BMA": ("MembershipBody", None), "King's Fund": ("CampaignBody", None), "Nuffield Trust": ("CampaignBody", None),
    "Royal College of General Practitioners": ("MembershipBody", None), "RCGP": ("MembershipBody", None),
    # the parties whose governments reorganised commissioning, named in the genre by party as often as by government
    "Conservative Party": ("MembershipBody", "conservative-party"), "Conservatives": ("MembershipBody", "conservative-party"),
    "Tories": ("MembershipBody", "conservative-party"), "Labour Party": ("MembershipBody", None),
    "Liberal Democrats": ("MembershipBody", None), "Lib Dems": ("MembershipBody", None),
    "NHS Providers": ("MembershipBody", None), "NHS Employers": ("MembershipBody", None),
}

# Register names that are bare place names get the organisation head their type implies, e.g. the PCT
# "Havering" is found as "Havering PCT" or "Havering Primary Care Trust", never as the bare word.
ORG_WORDS = {"nhs", "ccg", "ccgs", "pct", "council", "trust", "board", "partnership", "authority", "team", "committee",
             "group", "icb", "stp", "sha", "health", "care", "commissioning", "alliance", "region", "office", "unit"}
HEADS = {
    "PrimaryCareTrust": ["{n} PCT", "{n} Primary Care Trust", "{n} primary care trust"],
    "LocalAuthority": ["{n} Council", "{n} County Council", "{n} City Council", "{n} Borough Council",
                       "{n} District Council", "{n} council", "{n} county council"],
    "NHSEnglandAreaTeam": ["{n} area team", "{n} Area Team", "NHS England {n}"],
    "NHSEnglandRegion": ["NHS England {n}", "{n} region", "NHS England ({n})"],
    "SustainabilityAndTransformationPartnership": ["{n} STP", "{n} Sustainability and Transformation Partnership",
                                                   "{n} Sustainability and Transformation Plan", "{n} ICS",
                                                   "{n} Integrated Care System", "{n} Health and Care Partnership"],
    "IntegratedCareBoard": ["{n} ICB", "{n} Integrated Care Board", "NHS {n} ICB", "NHS {n} Integrated Care Board"],
    "StrategicHealthAuthority": ["{n} SHA", "{n} Strategic Health Authority"],
    "ClinicalCommissioningGroup": ["{n} CCG", "{n} Clinical Commissioning Group", "{n} clinical commissioning group",
                                   "NHS {n} CCG", "NHS {n} Clinical Commissioning Group"],
    "SubICBLocation": [],
}


def _variant_order(variant) -> tuple:
    # a total order (a name is one variant per entry and tokens), so that a name list grown by adding a
    # document's names is the one built from the whole graph at once
    return (variant.entry.rank, variant.entry.iri or "~", variant.entry.label, variant.entry.type, variant.tokens)


class Gazetteer:
    """Names of bodies, people and organisation types, matched longest first over word tokens."""

    def __init__(self):
        self.root: dict = {}
        self.size = 0
        self.labels: dict[str, str] = {}          # iri -> label
        self.types: dict[str, str] = {}           # iri -> class
        self.kinds: dict[str, str] = {}           # iri -> body | person
        self.by_label: dict[str, set] = {}        # lower-cased label or alias -> iris
        self.compact: dict[str, Entry] = {}       # letters and digits only, lower-cased -> body (for web domains)
        self.class_entity: dict[str, Entry] = {}  # class -> its collective (or only) entity
        self.persons: list[Entry] = []
        self.entries: dict[str, Entry] = {}       # iri -> its entry as the graph gives it
        self.names: list[str] = []                # every name added (for the naive baseline of the benchmark)
        self.places: set[str] = set()             # lower-cased words of the register's place names ("barsetshire")
        self.org_classes: frozenset = frozenset()  # the ontology's organisation classes (local names)
        self._seen: set = set()

    # -- building -------------------------------------------------------------------------------------
    def add(self, name: str, entry: Entry, graphs=frozenset(), method: str = "gazetteer") -> None:
        name = " ".join(name.split())
        plain_name = plain(name)
        found = list(TOKEN.finditer(plain_name))
        if not found or not name:
            return
        tokens = [m.group(0) for m in found]
        key = (tuple(tokens), entry.iri, entry.label, entry.type)
        node = self.root
        for i, m in enumerate(found):
            part = m.group(0).lower() if i == 0 else _norm_gap(plain_name[found[i - 1].end():m.start()]) + m.group(0).lower()
            node = node.setdefault(part, {})
        variants = node.setdefault("", [])
        variant = Variant(entry, tuple(tokens), _case_mode(tokens), frozenset(graphs), method)
        if key in self._seen:
            # the same name for the same thing from another graph: widen its provenance
            # (a built-in name has no graph: it is known whatever document is held out, so it stays unexcludable)
            for i, old in enumerate(variants):
                if (old.entry.iri, old.entry.label, old.entry.type) == key[1:] and old.tokens == variant.tokens:
                    graphs = frozenset() if not (old.graphs and variant.graphs) else old.graphs | variant.graphs
                    variants[i] = Variant(old.entry, old.tokens, old.mode, graphs, old.method)
            return
        self._seen.add(key)
        self.names.append(name)
        # kept in order as they come: a common surname's "Dr Smith" gathers thousands of variants
        bisect.insort(variants, variant, key=_variant_order)
        self.size += 1
        if entry.iri:
            self.labels.setdefault(entry.iri, entry.label)
            self.types.setdefault(entry.iri, entry.type)
            self.kinds.setdefault(entry.iri, entry.kind)
            self.by_label.setdefault(name.lower(), set()).add(entry.iri)
            self.by_label.setdefault(entry.label.lower(), set()).add(entry.iri)
            if entry.kind == "body":
                squeezed = re.sub(r"[^a-z0-9]", "", name.lower())
                held = self.compact.get(squeezed)
                if len(squeezed) >= 5 and (held is None or (entry.rank, entry.iri) < (held.rank, held.iri or "~")):
                    self.compact[squeezed] = entry

    def add_builtins(self) -> None:
        """Abbreviations, organisation-type phrases and a few well-known bodies, mapped to graph entities
        where the graph has them (call after the graph's own names)."""
        def entity_for(cls: str, slug: str | None) -> Entry | None:
            if slug and (ID + "org/" + slug) in self.labels:
                iri = ID + "org/" + slug
                known = self.entries.get(iri)
                return Entry(iri, self.labels[iri], self.types.get(iri, cls), "body", 3,
                             known.collective if known else False)
            return self.class_entity.get(cls)

        for abbreviation, (cls, expansion, slug) in ABBREVIATIONS.items():
            target = entity_for(cls, slug)
            entry = Entry(target.iri if target else None, target.label if target else expansion, cls,
                          "body" if target else "type", 3, True)
            self.add(abbreviation, entry, method="abbreviation")
            if abbreviation.isupper() and cls not in ("DepartmentOfState", "NHSCommissioningBoard", "ProfessionalRegulator", "Regulator"):
                self.add(abbreviation + "s", entry, method="abbreviation")
        for phrase, cls in TYPE_PHRASES.items():
            target = self.class_entity.get(cls)
            entry = Entry(target.iri if target else None, target.label if target else phrase, cls,
                          "body" if target else "type", 3, True)
            self.add(phrase, entry, method="type-phrase")
            if phrase not in UNCOUNTABLE:
                words = phrase.split()
                self.add(" ".join(words[:-1] + [plural(words[-1])]), entry, method="type-phrase")
        for name, (cls, slug) in COMMON_BODIES.items():
            target = entity_for(cls, slug)
            entry = target or Entry(None, name.removeprefix("the ").strip(), cls, "body", 3)
            self.add(name, entry, method="gazetteer")

    # -- matching -------------------------------------------------------------------------------------
    def scan(self, ptext: str, start: int = 0, end: int | None = None, date: str | None = None,
             exclude: frozenset = frozenset()):
        """Yield (start, end, variant) for the names found, in text order: at each token the longest name whose
        case fits; where two overlap, the one with more content words wins ("the NHS Alliance" is the NHS
        Alliance, not "the NHS")."""
        end = len(ptext) if end is None else end
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(ptext, start, end)]
        n = len(tokens)
        root = self.root
        found = []
        for i in range(n):
            s0, e0 = tokens[i]
            node = root.get(ptext[s0:e0].lower())
            if node is None:
                continue
            path = []
            j = i
            while True:
                if "" in node:
                    path.append((j, node[""]))
                j += 1
                if j >= n:
                    break
                s, e = tokens[j]
                node = node.get(_norm_gap(ptext[tokens[j - 1][1]:s]) + ptext[s:e].lower())
                if node is None:
                    break
            for j, variants in reversed(path):
                words = [ptext[s:e] for s, e in tokens[i:j + 1]]
                ok = [v for v in variants if _case_ok(v, words) and not (v.graphs and v.graphs <= exclude)]
                if ok:
                    content = sum(1 for w in words if w.lower() not in STOP)
                    found.append((i, j, content, _pick(ok, date)))
                    break
        if not found:
            return
        # keep non-overlapping matches, best first: more content words, then more words, then earlier
        found.sort(key=lambda f: (-f[2], -(f[1] - f[0]), f[0]))
        taken = bytearray(n)
        chosen = []
        for i, j, content, variant in found:
            if any(taken[i:j + 1]):
                continue
            taken[i:j + 1] = b"\x01" * (j + 1 - i)
            chosen.append((tokens[i][0], tokens[j][1], variant))
        chosen.sort(key=lambda c: c[0])
        yield from chosen

    def resolve_label(self, label: str) -> set:
        return set(self.by_label.get(label.strip().lower(), ()))


def _pick(variants: list[Variant], date: str | None) -> Variant:
    best_rank = min(v.entry.rank for v in variants)
    top = [v for v in variants if v.entry.rank == best_rank]
    if date and len(top) > 1:
        live = [v for v in top if (not v.entry.start or v.entry.start[:len(date)] <= date)
                and (not v.entry.end or v.entry.end >= date[:len(v.entry.end)])]
        if live:
            top = live
    return top[0]


_GAZETTEERS: dict = {}


_ASSERTED_QUERY = """
SELECT ?s ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), ?graphs) && !STRENDS(STR(?g), "/ontology") && !STRENDS(STR(?g), "/inferred")
         && !STRENDS(STR(?g), "/assessments") && STRSTARTS(STR(?s), ?ids) && STRSTARTS(STR(?o), ?values))
}"""


def _rank_of_graph(graph_iri: str) -> int:
    short = graph_iri[len(BASE_IRI + "graph/"):]
    if short in ("entities", "background", "links"):
        return 0
    if short.startswith("document/"):
        return 1
    return 2


def _is_asserting_graph(graph_iri: str) -> bool:
    return (graph_iri.startswith(BASE_IRI + "graph/")
            and not graph_iri.endswith(("/ontology", "/inferred", "/assessments")))


_NAME_PREDICATES = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel",
                    "http://xmlns.com/foaf/0.1/name", NHSKG + "odsCode")


@dataclass
class _NameFacts:
    """What the name list is made from, for some or all of the graph's entities."""
    types: dict = field(default_factory=dict)       # iri -> [(rank, class local name)]
    collective: set = field(default_factory=set)
    starts: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    names: set = field(default_factory=set)         # (iri, name, predicate, graph)

    def take(self, s: str, p: str, o, gid: str, org_classes) -> None:
        if p == RDF_TYPE:
            o = str(o)
            local = o[len(NHSKG):] if o.startswith(NHSKG) else None
            if local in org_classes or local == "Person":
                self.types.setdefault(s, []).append((_rank_of_graph(gid), local))
        elif p == NHSKG + "isCollective":
            if o.toPython() is True:
                self.collective.add(s)
        # where two graphs give a body different dates, the earliest founding and the latest dissolution stand
        elif p == "http://schema.org/foundingDate":
            self.starts[s] = min(self.starts.get(s, str(o)), str(o))
        elif p == "http://schema.org/dissolutionDate":
            self.ends[s] = max(self.ends.get(s, str(o)), str(o))
        elif p in _NAME_PREDICATES:
            self.names.add((s, str(o), p, gid))

    def entries(self) -> dict:
        # sorted, so that where two graphs of one rank label a body differently the choice does not depend on
        # the order a store lists its graphs in
        labels = {}
        for iri, name, predicate, gid in sorted(self.names):
            if predicate == _NAME_PREDICATES[0] and (iri not in labels or _rank_of_graph(gid) < labels[iri][1]):
                labels[iri] = (name, _rank_of_graph(gid))
        entries = {}
        for iri, found in self.types.items():
            if iri not in labels:
                continue
            found = sorted(found)
            best = found[0][1]
            entries[iri] = Entry(iri, labels[iri][0], best, "person" if best == "Person" else "body",
                                 min(r for r, _ in found), iri in self.collective, self.starts.get(iri),
                                 self.ends.get(iri))
        return entries


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _add_entity_names(gaz: Gazetteer, entries: dict, names) -> None:
    """Each entity's names, ODS codes and (for people) forms with honorifics, in name order."""
    for iri, name, predicate, gid in sorted(names):
        entry = entries.get(iri)
        if entry is None:
            continue
        rank = _rank_of_graph(gid)
        graphs = frozenset([gid])
        if predicate == NHSKG + "odsCode":
            if re.fullmatch(r"(?=.*\d)(?=.*[A-Z])[A-Z0-9]{3,5}", name):
                gaz.add(name, entry, graphs, method="ods-code")
            continue
        if rank == 2 and entry.kind == "body":
            _add_register_name(gaz, name, entry, graphs)
            continue
        gaz.add(name, entry, graphs, method="gazetteer")
        if entry.kind == "person":
            _add_person_forms(gaz, name, entry, graphs)


def gazetteer_from_dataset(dataset) -> Gazetteer:
    """The gazetteer of a built graph (an rdflib Dataset): every body and person with its labels, aliases and
    ODS code, register names with the heads their type implies, and the ontology's organisation classes."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    from .remote import bind_query_text
    from .scale import rdflib_term
    from .store import is_oxigraph, pyoxigraph_behind

    onto = URIRef(BASE_IRI + "graph/ontology")
    org_classes = _org_classes(dataset, onto)
    gaz = Gazetteer()
    facts = _NameFacts()

    # Types, collective flags, dates and names of the project's entities, with the asserting graph: one query
    # per predicate, filtered in the store (a pass per graph cost a store call per graph and predicate, 12 s
    # with 3,000 documents; a pass over all quads turned every inferred type into an rdflib term first).
    behind = pyoxigraph_behind(dataset)
    objects: dict = {}

    def asserted(predicate, values_in=""):
        if is_oxigraph(dataset):
            bindings = {"p": predicate, "graphs": Literal(BASE_IRI + "graph/"), "ids": Literal(str(ID)),
                        "values": Literal(values_in)}
            text = bind_query_text(_ASSERTED_QUERY, bindings)
            if behind is None:
                for s, o, g in dataset.query(text):
                    yield str(s), o, str(g)
                return
            # straight from pyoxigraph, each object made an rdflib term once (through oxrdflib every cell of
            # 200,000 rows became one, a third of the time at a million triples)
            for s, o, g in behind.query(text, use_default_graph_as_union=True):
                term = objects.get(o)
                if term is None:
                    term = objects[o] = rdflib_term(o)
                yield s.value, term, g.value
            return
        for s, _, o, g in dataset.quads((None, predicate, None, None)):
            s, gid = str(s), str(g)
            if _is_asserting_graph(gid) and s.startswith(ID) and str(o).startswith(values_in):
                yield s, o, gid

    for predicate, values_in in ((RDF_TYPE, str(NHSKG)), (NHSKG + "isCollective", ""),
                                 ("http://schema.org/foundingDate", ""), ("http://schema.org/dissolutionDate", ""),
                                 *((p, "") for p in _NAME_PREDICATES)):
        for s, o, gid in asserted(URIRef(predicate), values_in):
            facts.take(s, predicate, o, gid, org_classes)
    entries = facts.entries()
    gaz.entries = dict(entries)
    for iri, entry in entries.items():
        if entry.rank == 0 and (entry.collective or entry.type == "NHSCommissioningBoard"):
            current = gaz.class_entity.get(entry.type)
            if current is None or (entry.rank, entry.iri) < (current.rank, current.iri):
                gaz.class_entity[entry.type] = entry
    _add_entity_names(gaz, entries, facts.names)
    for iri, entry in entries.items():
        if entry.kind == "person":
            gaz.persons.append(entry)
    # organisation classes by their names ("Primary Care Trust", "local office"), as types
    for cls in sorted(org_classes):
        target = gaz.class_entity.get(cls)
        for predicate in (RDFS.label, SKOS.altLabel):
            for value in dataset.graph(onto).objects(URIRef(NHSKG + cls), predicate):
                name = str(value)
                if len(name) < 3 or name.lower() in ("provider", "regulator", "university", "person", "hospital"):
                    continue
                entry = Entry(target.iri if target else None, target.label if target else name, cls,
                              "body" if target else "type", 3, True)
                gaz.add(name, entry, method="type-phrase")
                words = name.split()
                gaz.add(" ".join(words[:-1] + [plural(words[-1])]), entry, method="type-phrase")
    gaz.add_builtins()
    gaz.org_classes = frozenset(org_classes)
    return gaz


def gazetteer_additions(gaz: Gazetteer, quads) -> tuple[dict, set] | None:
    """What a build's name list `gaz` gains from new graphs: `quads` are every quad (subject, predicate, object
    as strings, the object an rdflib term; graph) the grown build holds about each subject the new graphs
    describe. Returns (new entities, their names), for `gazetteer_apply`, so that the list equals
    `gazetteer_from_dataset` of the grown build without reading all of it again; or None where the new
    graphs change more than new entities and names can express (an entity known before gets another label,
    type, rank or date; a new entity would stand for a class or a built-in name): the caller then builds the
    list afresh."""
    facts = _NameFacts()
    for s, p, o, g in quads:
        if s.startswith(ID) and _is_asserting_graph(g):
            facts.take(s, p, o, g, gaz.org_classes)
    entries = facts.entries()
    builtin_slugs = {ID + "org/" + slug for _, _, slug in ABBREVIATIONS.values() if slug}
    builtin_slugs |= {ID + "org/" + slug for _, slug in COMMON_BODIES.values() if slug}
    for iri, entry in entries.items():
        known = gaz.entries.get(iri)
        if known is not None and known != entry:
            return None
        if known is None and (entry.rank == 0 or iri in builtin_slugs):
            return None
    return {iri: entry for iri, entry in entries.items() if iri not in gaz.entries}, facts.names


def gazetteer_apply(gaz: Gazetteer, entities: dict, names) -> None:
    """Add what `gazetteer_additions` found to the name list."""
    for iri, entry in entities.items():
        if iri not in gaz.entries:
            gaz.entries[iri] = entry
            if entry.kind == "person":
                gaz.persons.append(entry)
    _add_entity_names(gaz, gaz.entries, names)


def _org_classes(dataset, onto) -> set[str]:
    from rdflib import URIRef
    from rdflib.namespace import RDFS
    graph = dataset.graph(onto)
    roots = {URIRef("http://www.w3.org/ns/org#FormalOrganization"), URIRef("http://www.w3.org/ns/org#Organization")}
    found, todo = set(), list(roots)
    while todo:
        current = todo.pop()
        for sub in graph.subjects(RDFS.subClassOf, current):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    classes = {str(c)[len(NHSKG):] for c in found if str(c).startswith(NHSKG)}
    return classes or {v[0] for v in ABBREVIATIONS.values()} | set(TYPE_PHRASES.values())


def _add_register_name(gaz: Gazetteer, name: str, entry: Entry, graphs) -> None:
    """A register name as it stands if it carries an organisation word, and with the heads its type implies."""
    name = " ".join(name.split())
    m = re.fullmatch(r"(.+?), (City|County) of", name)
    if m:
        name = f"{m.group(1)}"
    words = {w.lower() for w in TOKEN.findall(name)}
    if words & ORG_WORDS:
        gaz.add(name, entry, graphs, method="register")
    bare = re.sub(r"^NHS\s+", "", re.sub(r"\s+(?:CCG|Clinical Commissioning Group|Integrated Care Board|ICB)$", "", name))
    bare = re.sub(r"\s+\(.*\)$", "", bare) if entry.type not in ("NHSEnglandAreaTeam",) else bare
    if entry.type == "NHSEnglandAreaTeam":
        inner = re.search(r"\(([^()]+)\)$", name)
        if inner:
            gaz.add(f"NHS England {inner.group(1)}", entry, graphs, method="register")
            return
    for pattern in HEADS.get(entry.type, []):
        gaz.add(pattern.format(n=bare), entry, graphs, method="register")
    if entry.type in HEADS or entry.type in ("NHSEnglandAreaTeam", "NHSEnglandRegion"):
        # its words are places: they let the extractor tell "the East Barsetshire group" from "the Labour group"
        gaz.places.update(w.lower() for w in re.findall(r"[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)*", bare)
                          if w.lower() not in _NOT_PLACES and not re.fullmatch(_DIRECTION, w))


HONORIFICS = r"(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame|Lord|Lady|Baroness|Baron|Cllr|Councillor|Rev|Revd)"


def _add_person_forms(gaz: Gazetteer, name: str, entry: Entry, graphs) -> None:
    parts = name.split()
    if len(parts) >= 2 and all(p[:1].isupper() for p in parts) and not re.match(HONORIFICS + r"\.?$", parts[0]):
        for hon in ("Dr", "Mr", "Mrs", "Ms", "Prof", "Professor", "Sir"):
            gaz.add(f"{hon} {name}", entry, graphs, method="gazetteer")
            gaz.add(f"{hon} {parts[-1]}", entry, graphs, method="gazetteer")


def builtin_gazetteer() -> Gazetteer:
    """A gazetteer with no graph: abbreviations, organisation types and a few national bodies (no IRIs)."""
    gaz = Gazetteer()
    gaz.add_builtins()
    return gaz


def load_gazetteer(source=None) -> Gazetteer:
    """A Gazetteer from a KnowledgeGraph, an rdflib Dataset, a build folder, a Gazetteer, or None (built-ins)."""
    if isinstance(source, Gazetteer):
        return source
    if source is None:
        return builtin_gazetteer()
    if isinstance(source, (str, Path)):
        from .graph import KnowledgeGraph
        source = KnowledgeGraph.open(Path(source))
    dataset = getattr(source, "dataset", source)
    key = id(dataset)
    cached = _GAZETTEERS.get(key)
    if cached is not None and cached[0] is dataset:
        return cached[1]
    gaz = gazetteer_from_dataset(dataset)
    _GAZETTEERS[key] = (dataset, gaz)
    return gaz


# =====================================================================================================
# Results
# =====================================================================================================

@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str
    iri: str | None
    label: str
    kind: str               # body | person | type
    method: str = "gazetteer"
    confidence: float = 0.8
    collective: bool = False

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "type": self.type, "iri": self.iri,
                "label": self.label}


@dataclass
class Change:
    kind: str
    status: str
    sources: list            # Mentions
    into: Mention | None
    date: str | None
    start: int
    end: int
    text: str
    method: str = "rule"
    confidence: float = 0.6

    def to_json(self) -> dict:
        return {"kind": self.kind, "status": self.status, "from": _labels(self.sources),
                "into": self.into.label if self.into else None, "date": self.date, "start": self.start,
                "end": self.end, "text": self.text}


@dataclass
class Oversight:
    kind: str
    status: str
    overseer: Mention | None
    overseen: Mention | None
    start: int
    end: int
    text: str
    method: str = "rule"
    confidence: float = 0.6

    def to_json(self) -> dict:
        return {"kind": self.kind, "overseer": self.overseer.label if self.overseer else None,
                "overseen": self.overseen.label if self.overseen else None, "start": self.start, "end": self.end,
                "text": self.text}


@dataclass
class Claim:
    type: str
    types: list
    claimant: str
    claimant_iri: str | None
    by_author: bool
    about: list              # Mentions
    start: int
    end: int
    text: str
    quantities: list = field(default_factory=list)
    method: str = "author"
    confidence: float = 0.5
    claimant_kind: str = "person"          # person | body | author
    claimant_type: str | None = None       # the claimant's class, when it is a body

    def to_json(self) -> dict:
        return {"type": self.type, "claimant": self.claimant, "about": _labels(self.about), "start": self.start,
                "end": self.end, "text": self.text}


def _labels(mentions) -> list:
    seen = []
    for m in mentions:
        if m is not None and m.label not in seen:
            seen.append(m.label)
    return seen


@dataclass
class Extraction:
    path: str
    sha256: str
    title: str | None
    date: str | None
    author: str | None
    publisher: str | None
    author_iri: str | None = None
    publisher_iri: str | None = None
    entities: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    oversight: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    text_length: int = 0
    genre: str | None = None             # press-release | newsletter-article | board-paper | blog-post | None
    publisher_type: str | None = None    # the publisher's class, when the page names a body the graph lacks

    def to_json(self) -> dict:
        return {
            "document": {"path": self.path, "sha256": self.sha256, "title": self.title, "date": self.date,
                         "author": self.author, "publisher": self.publisher},
            "entities": [m.to_json() for m in self.entities],
            "changes": [c.to_json() for c in self.changes],
            "oversight": [o.to_json() for o in self.oversight],
            "claims": [c.to_json() for c in self.claims],
        }


# =====================================================================================================
# Dates
# =====================================================================================================

MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                            "september", "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?,?\s+"
_DMY = re.compile(rf"(?:{_WEEKDAY})?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m>{_MONTH}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_MDY = re.compile(rf"(?:{_WEEKDAY})?(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_SLASH = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)\b")
_MY = re.compile(rf"\b(?P<m>{_MONTH}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_Y = re.compile(r"\b(?P<y>19[4-9]\d|20[0-4]\d)\b(?!\s*(?:%|per|consortia|CCGs|PCTs|years|people|patients|staff|GPs|practices))")
_REL = re.compile(rf"\b(?P<rel>this|last|next|past|coming|previous|in|from|by|until|since)\s+(?P<unit>week|month|year|spring|summer|autumn|winter|{_MONTH})\b", re.I)
_DAYWORD = re.compile(r"\b(?P<w>yesterday|today|tomorrow)\b(?!['’]s)", re.I)


def _mk(y, m=None, d=None) -> str | None:
    try:
        if d is not None:
            return datetime.date(int(y), int(m), int(d)).isoformat()
        if m is not None:
            if not 1 <= int(m) <= 12:
                return None
            return f"{int(y):04d}-{int(m):02d}"
        return f"{int(y):04d}"
    except ValueError:
        return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def parse_full_date(text: str) -> tuple[str | None, int, int]:
    """The first complete or month-year date in text: (ISO value with its precision, start, end)."""
    best = None
    for pattern, kind in ((_DMY, "dmy"), (_MDY, "dmy"), (_ISO, "iso"), (_SLASH, "iso"), (_MY, "my")):
        m = pattern.search(text)
        if not m:
            continue
        if kind == "my":
            value = _mk(m.group("y"), _month(m.group("m")))
        elif pattern is _ISO or pattern is _SLASH:
            value = _mk(m.group("y"), m.group("m"), m.group("d"))
        else:
            value = _mk(m.group("y"), _month(m.group("m")), m.group("d"))
        if value and (best is None or m.start() < best[1] or (m.start() == best[1] and len(value) > len(best[0]))):
            best = (value, m.start(), m.end())
    return best if best else (None, -1, -1)


def resolve_date(text: str, doc_date: str | None, near: int = 0) -> str | None:
    """The date a sentence gives for what it reports: explicit dates first (nearest to `near`), then dates
    relative to the document's date ("this week", "last April", "next year")."""
    found = []
    for pattern, kind in ((_DMY, "dmy"), (_MDY, "dmy"), (_ISO, "iso"), (_SLASH, "iso"), (_MY, "my"), (_Y, "y")):
        for m in pattern.finditer(text):
            if kind == "y":
                value = _mk(m.group("y"))
            elif kind == "my":
                value = _mk(m.group("y"), _month(m.group("m")))
            elif pattern is _ISO or pattern is _SLASH:
                value = _mk(m.group("y"), m.group("m"), m.group("d"))
            else:
                value = _mk(m.group("y"), _month(m.group("m")), m.group("d"))
            if value:
                found.append((abs(m.start() - near), -len(value), m.start(), m.end(), value))
    if found:
        found.sort()
        # an enclosing longer date beats a bare year inside it
        best = found[0]
        for item in found:
            if item[2] <= best[2] and item[3] >= best[3] and len(item[4]) > len(best[4]):
                best = item
        return best[4]
    if not doc_date:
        return None
    base = _as_date(doc_date)
    m = re.search(rf"\b(?P<m>{_MONTH})\s+(?P<rel>next|last|this)\s+year\b", text)
    if m:
        return f"{base.year + {'next': 1, 'last': -1}.get(m.group('rel').lower(), 0):04d}-{_month(m.group('m')):02d}"
    m = _DAYWORD.search(text)
    if m and len(doc_date) == 10:
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("w").lower()]
        return (base + datetime.timedelta(days=shift)).isoformat()
    for m in _REL.finditer(text):
        rel, unit = m.group("rel").lower(), m.group("unit").lower().rstrip(".")
        if unit == "week":
            delta = {"last": -7, "past": -7, "previous": -7, "next": 7, "coming": 7}.get(rel, 0)
            if rel in ("in", "from", "by", "until", "since"):
                continue
            return (base + datetime.timedelta(days=delta)).isoformat()[:7] if len(doc_date) >= 7 else doc_date[:4]
        if unit == "month":
            if rel in ("in", "from", "by", "until", "since") or len(doc_date) < 7:
                continue
            shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
            month = base.month - 1 + shift
            return f"{base.year + month // 12:04d}-{month % 12 + 1:02d}"
        if unit == "year":
            if rel in ("in", "from", "by", "until", "since"):
                continue
            shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
            return f"{base.year + shift:04d}"
        if unit in ("spring", "summer", "autumn", "winter"):
            if rel in ("in", "from", "by", "until", "since"):
                continue
            shift = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
            return f"{base.year + shift:04d}"
        month = _month(unit)
        if rel in ("last", "past", "previous"):
            year = base.year if month < base.month else base.year - 1
        elif rel in ("next", "coming"):
            year = base.year if month > base.month else base.year + 1
        elif rel in ("since", "until", "by", "from", "in", "this"):
            if unit in ("may",) and rel != "this":
                continue   # "in May" is a month, "may" is a modal: only trust it capitalised below
            year = base.year
        else:
            year = base.year
        if unit == "may" and not m.group("unit")[0].isupper():
            continue
        return f"{year:04d}-{month:02d}"
    return None


def _as_date(value: str) -> datetime.date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


# =====================================================================================================
# Text structure: paragraphs, sentences, quotations
# =====================================================================================================

@dataclass
class Paragraph:
    index: int
    start: int
    end: int


@dataclass
class Sentence:
    start: int
    end: int
    para: int
    frame: bool = False       # introduces speech that follows ("He adds:", "X makes the following point")


@dataclass
class Quote:
    start: int               # the opening mark
    end: int                 # after the closing mark (or the end of the paragraph where it stops)
    first_para: int
    last_para: int
    speaker: "Speaker | None" = None
    scare: bool = False


@dataclass
class Speaker:
    label: str
    iri: str | None
    kind: str                # person | body | author
    mention: Mention | None = None


_TERMINAL = re.compile(r"[.!?:;\"”’')\]]\s*$")
_ABBREV = {"dr", "mr", "mrs", "ms", "prof", "st", "no", "co", "ltd", "inc", "vs", "etc", "e.g", "i.e", "eg", "ie",
           "cf", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "rev", "revd", "cllr", "hon", "gov", "fig", "ref", "para", "vol", "op", "al"}
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+(?:\.\.\.\s*|…\s*)?[\"“‘'(\[`]?[A-Z0-9£])|:(?=\s+[\"“])|[.!?]+[\"”’')\]]*\s*$")


def paragraphs(text: str) -> list[Paragraph]:
    """Lines are paragraphs (web captures put one paragraph a line); a line that stops mid-sentence and is
    followed directly by a line beginning in lower case is joined to it (hard-wrapped text). Very long
    paragraphs are cut at a sentence end, to bound the work per unit."""
    found = []
    start = end = None
    adjacent = False
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            adjacent = False
            continue
        s = line_start + (len(line) - len(line.lstrip()))
        e = line_start + len(line.rstrip())
        if start is not None and adjacent and not _TERMINAL.search(text, max(start, end - 4), end) and line.lstrip()[:1].islower():
            end = e
        else:
            if start is not None:
                found.append((start, end))
            start, end = s, e
        while end - start > 20000:
            cut = text.rfind(". ", start, start + 20000)
            cut = start + 20000 if cut <= start else cut + 1
            found.append((start, cut))
            start = cut
        adjacent = True
    if start is not None:
        found.append((start, end))
    return [Paragraph(i, s, e) for i, (s, e) in enumerate(found) if e > s]


MAX_SENTENCE = 1200


def split_sentences(ptext: str, para: Paragraph) -> list[Sentence]:
    out = []
    s = para.start
    for m in _SENT_END.finditer(ptext, para.start, para.end):
        e = m.end()
        if not m.group(0).startswith(":"):  # a colon always ends a sentence; a full stop may be an abbreviation
            before = ptext[max(para.start, m.start() - 12):m.start()]
            word = re.search(r"([A-Za-z][A-Za-z.]*)$", before)
            if word and (word.group(1).lower().rstrip(".") in _ABBREV or re.fullmatch(r"[A-Z]", word.group(1))) \
                    and m.group(0) == "." and e < para.end:
                continue
        out.append((s, e))
        s = e
    if s < para.end:
        out.append((s, para.end))
    capped = []
    for s, e in out:
        # a "sentence" of thousands of characters is not prose: cut it, to bound the work per sentence
        while e - s > MAX_SENTENCE:
            cut = ptext.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
            cut = s + MAX_SENTENCE if cut < 0 else cut
            capped.append((s, cut))
            s = cut
        capped.append((s, e))
    sentences = []
    for s, e in capped:
        while s < e and (ptext[s].isspace() or ptext[s] in ".…"):
            s += 1
        while e > s and ptext[e - 1].isspace():
            e -= 1
        if e > s:
            sentences.append(Sentence(s, e, para.index))
    return sentences


def find_quotes(text: str, paras: list[Paragraph]) -> list[Quote]:
    """Double-quoted passages, across paragraphs where a quotation runs on (an unclosed quote is closed by
    the next closing mark within three paragraphs, skipping the opening mark that starts a continued one)."""
    quotes = []
    i = 0
    n = len(paras)
    while i < n:
        para = paras[i]
        pos = para.start
        while True:
            opening = _next_quote_char(text, pos, para.end)
            if opening is None:
                break
            q, ch = opening
            if ch == "”" and not (q == para.start or text[q - 1].isspace() or text[q - 1] in "(['‘"):
                pos = q + 1
                continue
            # look for the closing mark
            close = _next_quote_char(text, q + 1, para.end)
            if close is not None and close[1] != "“":
                quotes.append(Quote(q, close[0] + 1, i, i))
                pos = close[0] + 1
                continue
            if close is not None:   # another opening mark: the first was unbalanced; restart from there
                pos = close[0]
                continue
            # unclosed in this paragraph: run on into the next ones
            end_para, end_pos = i, para.end
            for k in range(i + 1, min(n, i + 4)):
                nxt = paras[k]
                first = _next_quote_char(text, nxt.start, nxt.end)
                scan_from = nxt.start
                if first is not None and first[0] == nxt.start and first[1] in "“\"" :
                    scan_from = nxt.start + 1   # the continuation mark
                    close2 = _next_quote_char(text, scan_from, nxt.end)
                else:
                    close2 = first
                if close2 is not None and close2[1] != "“":
                    end_para, end_pos = k, close2[0] + 1
                    break
                if close2 is not None:
                    break
            quotes.append(Quote(q, end_pos, i, end_para))
            if end_para > i:
                i = end_para
                para = paras[i]
            pos = end_pos
            if pos >= para.end:
                break
        i += 1
    return quotes


_QCHARS = re.compile(r"[\"“”]")


def _next_quote_char(text: str, start: int, end: int):
    m = _QCHARS.search(text, start, end)
    return (m.start(), m.group(0)) if m else None


# =====================================================================================================
# Cues
# =====================================================================================================

SPEECH_VERBS = (r"says|said|say|adds|added|continues|continued|explains|explained|emphasises|emphasised|emphasizes|"
                r"emphasized|stresses|stressed|argues|argued|warns|warned|insists|insisted|notes|noted|claims|claimed|"
                r"comments|commented|believes|believed|told|tells|writes|wrote|states|stated|admits|admitted|"
                r"concludes|concluded|predicts|predicted|suggests|suggested|urges|urged|replies|replied|recalls|recalled|"
                r"points out|pointed out|observes|observed|remarks|remarked")
_AFTER_QUOTE = re.compile(rf"^\s*[,.]?\s*(?P<verb>{SPEECH_VERBS}|according to)\s+(?P<np>[^.;:!?\"“”]{{1,80}})", re.I)
_AFTER_QUOTE_INV = re.compile(rf"^\s*[,.]?\s*(?P<np>[A-Z][^.;:!?\"“”]{{0,70}}?)\s+(?P<verb>{SPEECH_VERBS})\b", re.S)
_BEFORE_QUOTE = re.compile(rf"\s(?:also\s+|then\s+)?(?P<verb>{SPEECH_VERBS}|told(?:\s+[\w.]+){{0,3}}|telling(?:\s+[\w.]+){{0,2}}|tells(?:\s+[\w.]+){{0,2}})\s*[:,]?\s*$", re.I)
_NP_START = re.compile(r"[.!?\"“”:;]")
_PRONOUN = re.compile(r"^(?:he|she|him|her)$", re.I)
_FIRST = re.compile(r"^(?:i|we|us|me)$", re.I)

REPORT_VERBS = (r"says|said|adds|added|argues|argued|believes|believed|thinks|thought|claims|claimed|warns|warned|"
                r"insists|insisted|maintains|maintained|notes|noted|points out|pointed out|suggests|suggested|"
                r"predicts|predicted|contends|contended|concludes|concluded|urges|urged|has urged|have urged|"
                r"calls for|called for|has called for|emphasises|emphasised|stresses|stressed|told|tells|writes|wrote|"
                r"states|stated|comments|commented|admits|admitted|acknowledges|acknowledged|reports|reported|"
                r"estimates|estimated|forecasts|calculates|calculated|projects|announced|announces|confirmed|confirms|"
                r"fears|feared|complains|complained|explains|explained|continues|continued|"
                r"(?:has|have|had) (?:also )?(?:raised )?concerns|expressed concern|"
                r"makes the (?:following )?points?|made the (?:following )?points?|"
                r"(?:has|have) written to|wrote to|has found|have found|found that|finds that|shows that|showed that|"
                r"has warned|have warned|has said|have said|has argued|have argued|has claimed|has suggested")
_REPORT = re.compile(rf"\b(?:{REPORT_VERBS})\b", re.I)
_SUBJECT_GAP = re.compile(r"^[\s,]*(?:(?:has|have|had|also|now|still|today|yesterday|recently|again|previously|once|"
                          r"further|then|however|repeatedly|firmly|strongly|publicly|already)[\s,]+)*$", re.I)
_INVERTED_OK = re.compile(r"^(?:says|said|adds|added|argues|argued|explains|explained|continues|continued|warns|warned|"
                          r"insists|insisted|emphasises|emphasised|stresses|stressed|comments|commented|notes|noted)$", re.I)
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_SOURCE_BY = re.compile(r"\b(?:survey|report|study|research|poll|analysis|review|investigation|figures|data|audit)\s+"
                        r"(?:by|from|for|of)\s+", re.I)
_TALK_IN = re.compile(r"\b(?:talk|talks|discussion|discussions|thinking|suggestions?)\s+(?:in|at|within|from|inside)\s+", re.I)
_FRAME = re.compile(r"(?:makes?|made|making)\s+the\s+(?:following\s+)?points?|\bwrites:?$|\bsays:$|\bsaid:$|:$", re.I)

PREDICTION = re.compile(r"\b(?:will|won't|wont|shall|going to|likely|unlikely|would|could|may\b(?! \d)|might|"
                        r"risk|bound to|expect\w*|predict\w*|soon|over time|in future|in the future|set to|"
                        r"is to become|danger)\b", re.I)
RECOMMENDATION = re.compile(r"\b(?:must|should|shouldn't|ought|need to|needs to|needed to|have to|has to|"
                            r"it is (?:vital|essential|important|crucial|time)|urge[sd]?|call(?:s|ed)? (?:on|for)|"
                            r"is (?:now )?required|are (?:now )?required|we must|let'?s|recommend\w*|way forward)\b", re.I)
CRITICISM = re.compile(r"\b(?:fail\w*|poor\w*|badly|bad|worse|worst|problem\w*|concern\w*|danger\w*|lack\w*|"
                       r"unfortunate\w*|disappoint\w*|sadly|appalling|bizarre|delusional|dictatorship|unaccountable|"
                       r"remote from|blame\w*|wast\w*|fortune|too (?:many|small|much|little|poorly)|not ready|unprepared|"
                       r"diluted|wrong|not the right|threat\w*|struggl\w*|crisis|falling apart|undermin\w*|neuter\w*|"
                       r"tragic|rubbish|controvers\w*|centralis\w*|managerialis\w*|privatisation|rationing|lottery|"
                       r"unsupported|unilateral|without any|complain\w*|inflicted|robotic|absence|conceal\w*|"
                       r"duplicat\w*|bickering|stupid|dead dog|killing|frustrat\w*|criticis\w*|flaw\w*|"
                       r"chaos|chaotic|mess|costly|expensive|cuts?|reduc\w+|less|fewer|unable|cannot|can't|no support|"
                       r"little or no|dominat\w*|overshadow\w*|compromis\w*|discredit\w*|not (?:been )?(?:fully )?thought|"
                       r"divide and rule|set up to|beck and call|only advisory|unrealistic|impossible|burden\w*)\b", re.I)
ESTIMATE = re.compile(r"(?:£|\$|€)\s?\d|\b\d[\d,.]*\s*(?:%|per ?cent|bn|billion|million|m\b)|\bestimat\w*|"
                      r"\b(?:around|about|approximately|roughly|some|up to|at least|over|more than|nearly|almost)\s+\d", re.I)
OPINION = re.compile(r"\b(?:I|we|our|us)\b|\b(?:believe|think|hope|fear|appears?|seems?|clearly|surely|perhaps|"
                     r"indeed|of course|in effect|reality|theory|excellent|good|great|better|best|real|true|truly|"
                     r"important|laudable|success\w*|positive|negative|significant\w*|serious\w*|difficult|easy|"
                     r"easier|sense|effective\w*|ironically|challenge\w*|opportunit\w*|enthusias\w*|ambition\w*|"
                     r"promise\w*|freedom\w*|power|indications?|realisation|aims?|intention|hope)\b", re.I)
_AMOUNT = re.compile(r"(?P<cur>£|\$|€)\s?(?P<num>\d+(?:[.,]\d+)*)\s*(?P<mult>bn|billion|m|million|k|thousand)?\b"
                     r"|\b(?P<num2>\d+(?:[.,]\d+)*)\s*(?P<unit>%|per ?cent)", re.I)
_MULT = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}


def amounts(text: str) -> list[dict]:
    """Amounts of money and percentages a claim names; a range ("£2bn to £3bn") gives a lower and an upper bound."""
    found = []
    for m in _AMOUNT.finditer(text):
        if m.group("cur"):
            value = float(m.group("num").replace(",", "")) * _MULT.get((m.group("mult") or "").lower(), 1)
            currency = {"£": "GBP", "$": "USD", "€": "EUR"}[m.group("cur")]
            found.append({"value": int(value) if value == int(value) else value, "currency": currency,
                          "start": m.start(), "end": m.end()})
        else:
            value = float(m.group("num2").replace(",", ""))
            found.append({"value": int(value) if value == int(value) else value, "unit": "percent",
                          "start": m.start(), "end": m.end()})
    for a, b in zip(found, found[1:]):
        between = text[a["end"]:b["start"]]
        if re.fullmatch(r"\s*(?:to|-|–|and)\s*", between) and a.get("currency") == b.get("currency"):
            a["bound"], b["bound"] = "lower", "upper"
    for a in found:
        a.pop("start"), a.pop("end")
    return found


BOILERPLATE = re.compile(
    r"^(?:no comments|\d+ comments?|post a comment|leave a (?:comment|reply)|filed under|posted (?:by|in|on|at)|"
    r"share (?:this|on)|tweet|like this|related|subscribe|comments?:?$|reply$|log (?:in|out)|you are commenting|"
    r"fill in your details|connecting to|notify me|follow us|close$|menu$|search$|skip to|cookies?|copyright|©|"
    r"all rights reserved|tags?:|categories:|read more|click here|find out more|for more information|notes?(?: to editors)?:?$|"
    r"ends$|-+\s*ends|about us|sign up|newer post|older post|home$|email this|blogthis|share to|labels?:|"
    r"newsletter sign|print this|back to top|previous (?:post|article)|next (?:post|article)|powered by)", re.I)
_CONTACT = re.compile(r"@\w|\bwww\.|https?://|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|\b0\d{9,10}\b")


# Readers' comments: a heading announcing some opens them; the comment form (or a line saying there are none)
# is furniture, and so are the short unpunctuated lines that follow it.
_COMMENTS_FOLLOW = re.compile(r"^(?:[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                              r"(?:comments?|responses?|replies|thoughts)(?:\s*:|\s+(?:to|on)\b.*)?\s*$", re.I)
_COMMENT_FORM = re.compile(r"^(?:no comments|no responses|post a comment|leave a (?:comment|reply)|"
                           r"add (?:a|your) comment|comments are closed)\b", re.I)
_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.]\d\d\s*(?:am|pm)?\b|\b\d{1,2}\s*(?:am|pm)\b", re.I)


def _is_prose(line: str) -> bool:
    """A line of running text: eight words or more and a sentence that ends in it."""
    return len(line.split()) >= 8 and bool(re.search(r"[.!?][\"”’')\]]*(?:\s|$)", line))


def _is_post_header(line: str) -> bool:
    """A line that is only a date (no time of day, which a comment's timestamp has): a new post begins."""
    value, s, e = parse_full_date(line)
    return bool(value) and len(re.sub(r"[^\w]", "", line[:s] + line[e:])) <= 12 and not _TIME_OF_DAY.search(line)


def _is_nav(line: str) -> bool:
    words = line.split()
    return len(words) >= 5 and not re.search(r"[.!?,;:]", line) and sum(1 for w in words if w[:1].isupper()) <= 1 \
        and sum(1 for w in words if "-" in w or "_" in w) >= 2


# =====================================================================================================
# The extractor
# =====================================================================================================

COMMISSIONING_CLASSES = {
    "PrimaryCareTrust", "PrimaryCareGroup", "ClinicalCommissioningGroup", "NHSCommissioningBoard",
    "HealthAndWellbeingBoard", "CommissioningSupportUnit", "SustainabilityAndTransformationPartnership",
    "IntegratedCareBoard", "IntegratedCareSystem", "LocalMedicalCommittee", "StrategicHealthAuthority",
    "PracticeBasedCommissioningGroup", "GPCommissioningConsortium", "GPFundholdingPractice", "HealthAuthority",
    "LocalityCommissioningGroup", "ClinicalSenate", "ClinicalNetwork", "NHSEnglandAreaTeam", "NHSEnglandRegion",
    "CommissioningBody", "SubICBLocation", "HealthcareSectorRegulator", "DepartmentOfState", "NHSTrust",
}
_NEW_PERSON = re.compile(rf"\b{HONORIFICS}\.?\s+(?P<name>[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){{0,2}})")
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z]\.)?\s+(?:(?:de|van|von|le|da)\s+)?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NEW_SPEAKER = re.compile(rf"\b(?P<name>{_NAME})(?=,?\s+(?:{SPEECH_VERBS})\b)|\b(?:says|said|adds|added|told by)\s+(?P<name2>{_NAME})\b"
                          rf"|\bchair\s+(?P<name3>{_NAME})|\bchief executive\s+(?P<name4>{_NAME})")
_NOT_NAME = {"the", "this", "that", "these", "those", "but", "and", "health", "government", "nhs", "primary", "clinical",
             "local", "national", "secretary", "minister", "chief", "in", "on", "as", "it", "he", "she", "they", "we",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "when", "if", "so", "all",
             "there", "here", "what", "our", "their", "his", "her", "its", "a", "an", "one", "then", "now", "also",
             "later", "earlier", "yesterday", "today", "meanwhile", "however", "last", "next", "separately",
             "previously", "recently", "finally", "instead", "critics", "officials", "ministers", "managers"}
_ORG_HEAD = (r"(?:CCG|PCT|PCG|Clinical Commissioning Group|Primary Care Trust|Primary Care Group|County Council|"
             r"City Council|Borough Council|District Council|Council|NHS Foundation Trust|Foundation Trust|NHS Trust|"
             r"Hospitals? Trust|Care Trust|Trust|Health Authority|Strategic Health Authority|Health and Wellbeing Board|"
             r"Integrated Care Board|ICB|STP|ICS|Integrated Care System|Integrated Care Partnership|CSU|"
             r"Commissioning Support Unit|LMCs?|Local Medical Committee|Hospital|GP Commissioning Group|"
             r"Commissioning Group|Commissioning Consortium|Consortium|Partnership|Local Area Team|Area Team|"
             r"Local Office|Clinical Senate|Strategic Clinical Network|Clinical Network|GP Federation|Federation|"
             r"Primary Care Network|Locality|University|Magazine|Association)")
_NEW_ORG = re.compile(rf"\b(?P<name>(?:NHS\s+)?(?:[A-Z][\w'’&.-]*\s+(?:(?:and|of|upon|on|the|&)\s+)?){{1,5}}{_ORG_HEAD})\b")
_ORG_AND = re.compile(rf"\b{_ORG_HEAD}(\s+(?:and|&)\s+)(?=(?:NHS\s+)?[A-Z])")
# The class a name's head implies, longest heads first (a name ending "Primary Care Trust" is not just a "Trust").
_HEAD_CLASS = [("Clinical Commissioning Group", "ClinicalCommissioningGroup"), ("CCG", "ClinicalCommissioningGroup"),
               ("Primary Care Trust", "PrimaryCareTrust"), ("PCT", "PrimaryCareTrust"),
               ("Primary Care Group", "PrimaryCareGroup"), ("PCG", "PrimaryCareGroup"), ("Council", "LocalAuthority"),
               ("Hospital", "Hospital"), ("Trust", "NHSTrust"), ("Strategic Health Authority", "StrategicHealthAuthority"),
               ("Health Authority", "HealthAuthority"), ("Health and Wellbeing Board", "HealthAndWellbeingBoard"),
               ("Integrated Care Board", "IntegratedCareBoard"), ("ICB", "IntegratedCareBoard"),
               ("STP", "SustainabilityAndTransformationPartnership"), ("ICS", "IntegratedCareSystem"),
               ("Integrated Care System", "IntegratedCareSystem"), ("Integrated Care Partnership", "IntegratedCareSystem"),
               ("CSU", "CommissioningSupportUnit"), ("Commissioning Support Unit", "CommissioningSupportUnit"),
               ("LMC", "LocalMedicalCommittee"), ("Local Medical Committee", "LocalMedicalCommittee"),
               ("Commissioning Group", "GPCommissioningConsortium"), ("Consortium", "GPCommissioningConsortium"),
               ("Primary Care Network", "HealthcareProvider"), ("Partnership", "SustainabilityAndTransformationPartnership"),
               ("Area Team", "NHSEnglandAreaTeam"), ("Local Office", "NHSEnglandAreaTeam"),
               ("Locality", "LocalityCommissioningGroup"),
               ("Clinical Senate", "ClinicalSenate"), ("Network", "ClinicalNetwork"),
               ("Federation", "HealthcareProvider"), ("University", "University"), ("Magazine", "MediaOrganisation"),
               ("Association", "MembershipBody")]
# Bodies whose head comes first, then "of" and their field: a professional college or society ("the Royal
# College of Nursing", "the Royal Society of Medicine") and an association ("the National Association of
# Sessional GPs"), all speaking for their members. The field is capitalised words, joined by "and", "of", "for",
# "in" or "&" ("Royal College of Obstetricians and Gynaecologists"); "college of further education" is no name.
_FIELD_WORD = r"[A-Z][\w'’-]*"
_HEAD_FIRST = re.compile(rf"\b(?P<head>Royal\s+(?:College|Society)|(?:[A-Z][a-z]+\s+){{0,2}}Association)\s+of\s+(?:the\s+)?"
                         rf"{_FIELD_WORD}(?:\s+(?:(?:and|of|for|in|&)\s+)?{_FIELD_WORD}){{0,5}}")
# Capitalised words that end such a field rather than continue it: roles and a headline's verbs ("the Royal
# College of Nursing Chief Executive"); honorifics, sentence openers, months and weekdays end it too.
_NOT_FIELD = {"chief", "chair", "chairman", "chairwoman", "president", "secretary", "spokesman", "spokeswoman",
              "spokesperson", "director", "council", "executive", "officer", "member", "members", "has", "have", "had",
              "is", "are", "was", "were", "will", "said", "says"}


def _head_class(name: str) -> str:
    """The class a name's organisation head implies (the first head in `_HEAD_CLASS` it ends with)."""
    return next((c for h, c in _HEAD_CLASS if name.endswith(h) or name.endswith(h + "s")), "HealthBody")


_FIELD_TOKEN = re.compile(r"[\w'’&-]+")
_SPACES = re.compile(r"\s*")
_ENDS_IN_ORG_HEAD = re.compile(rf"\s{_ORG_HEAD}$")
# Words that begin a sentence or a headline but never a body's name ("Yesterday Barsetshire CCG said", "Under
# the plans"), and title-case words a headline capitalises ("Plans For Barsetshire CCG"): a name starts after them.
_LEADING_NOT_NAME = {
    "yesterday", "today", "tomorrow", "meanwhile", "however", "now", "then", "also", "but", "and", "or", "so", "yet",
    "under", "after", "before", "since", "until", "while", "whilst", "when", "where", "if", "although", "though",
    "because", "as", "at", "in", "on", "by", "for", "from", "with", "without", "to", "into", "of", "about", "across",
    "within", "between", "among", "during", "despite", "following", "including", "like", "unlike", "via", "per",
    "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your", "we", "they", "it", "he",
    "she", "i", "you", "there", "here", "last", "next", "every", "each", "both", "either", "neither", "all", "some",
    "many", "most", "few", "several", "no", "not", "only", "even", "just", "why", "how", "what", "who", "which",
    "whose", "whom", "is", "are", "was", "were", "be", "been", "will", "would", "could", "should", "must", "may",
    "might", "can", "has", "have", "had", "do", "does", "did", "said", "says", "says:", "see", "read", "more", "new:",
    "dear", "re", "subject", "update", "news", "breaking", "exclusive", "comment", "opinion", "analysis", "editorial",
    "earlier", "later", "recently", "previously", "currently", "separately", "finally", "instead", "indeed", "overall",
    "locally", "nationally", "elsewhere", "together", "jointly", "a", "an",
} | set(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_TITLE_FUNCTION = {"For", "To", "In", "At", "With", "From", "By", "Into", "As", "Is", "Are", "Was", "Were", "Will",
                   "Would", "Must", "Be", "Not", "Why", "How", "What", "Who", "When", "Says", "Said", "Set", "Up", "Over",
                   "Under", "After", "Before", "Against", "Than", "Via", "Could", "Should", "May", "Can", "Has", "Have",
                   "Had", "Do", "Does", "Did", "Its", "Their", "Our", "Your", "A", "An", "The", "Vs", "Amid", "About",
                   "Announces", "Announced", "Welcomes", "Plans", "Agrees", "Approves", "Launches", "Merges"}
# "Members of Barsetshire HWB", "Staff at": a noun that names people or parts of a body, not the body itself.
_PART_OF = {"member", "members", "staff", "chair", "chairs", "chairman", "chairwoman", "head", "heads", "leader",
            "leaders", "director", "directors", "official", "officials", "representative", "representatives",
            "patient", "patients", "resident", "residents", "part", "parts", "budget", "budgets", "boss", "bosses",
            "chief", "chiefs", "secretary", "governor", "governors", "doctor", "doctors", "clinician", "clinicians",
            "manager", "managers", "plan", "plans", "proposal", "proposals", "board", "boards", "area", "areas",
            "future", "role", "work", "review", "report", "meeting", "minutes", "abolition", "creation", "merger",
            "lead", "leads", "nurse", "nurses", "spokesman", "spokeswoman", "spokesperson", "one", "none", "friends"}

# Place words: a register's place names say which capitalised words are places; names the register does not
# hold (and documents about places it does not list) are recognised by the endings English place names have.
_PLACE_ENDING = re.compile(r"(?:shire|ton|ford|ham|bury|borough|burgh|by|wich|mouth|field|ley|pool|chester|caster|"
                           r"cester|bridge|minster|wick|worth|stead|hurst|den|combe|dale|port|gate|well|land|sey|wall|"
                           r"mere|don|stow|hampton|ington|ingham|castle|holme|thorpe|cliffe|brook|haven|marsh|moor|bourne|stock)$")
_NOT_PLACES = {"england", "scotland", "wales", "britain", "ireland", "northern", "national", "local", "regional",
               "health", "care", "clinical", "commissioning", "primary", "community", "mental", "public", "social",
               "general", "group", "trust", "board", "council", "hospital", "partnership", "foundation", "university",
               "welfare", "wellbeing", "network", "standard", "island", "mainland", "homeland", "pharmacy",
               # words of the register's names that are common words too, no evidence of a place on their own
               "the", "our", "up", "new", "great", "high", "joined", "healthier", "integrated", "partners", "service",
               "teaching", "three", "royal", "city", "county", "district", "districts", "country", "rural", "heart",
               "black", "white", "point", "cross", "chase", "horse", "amber", "mole", "hills", "coast", "coastal",
               "eastern", "western", "southern", "st", "surrounds", "peninsula", "peninsular", "valleys", "rivers",
               "bay", "forest", "isle", "isles", "vale", "dales", "downs", "heath", "test", "moorlands", "havens",
               "together", "better", "central", "mid", "north", "south", "east", "west"}
_DIRECTION = r"(?:[Nn]orth(?:[- ]?(?:[Ee]ast|[Ww]est))?|[Ss]outh(?:[- ]?(?:[Ee]ast|[Ww]est))?|[Ee]ast|[Ww]est|[Mm]id|[Cc]entral|[Gg]reater|[Uu]pper|[Ll]ower|[Ii]nner|[Oo]uter)"
# ("Healthwatch" is never one: "NHS Loamshire and Healthwatch Loamshire" is two bodies)
_PLACE_WORD = r"(?!Healthwatch\b)[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)*"
_PLACE_SEQ = (rf"(?:{_DIRECTION}\s+(?:(?:and|&)\s+{_DIRECTION}\s+)?)?{_PLACE_WORD}"
              rf"(?:\s+(?:(?:and|&|upon|on|of|with)\s+)?(?:{_DIRECTION}\s+)?{_PLACE_WORD})*")
# Names of bodies written with a lower-case head ("the East Barsetshire group", "the mid Barset organisation"),
# and several places sharing one plural head ("Northfield, Southfield and Eastfield hospitals").
_LOWER_HEADS = {"clinical commissioning group": "ClinicalCommissioningGroup", "commissioning group": "ClinicalCommissioningGroup",
                "primary care trust": "PrimaryCareTrust", "consortium": "GPCommissioningConsortium",
                "group": "CommissioningBody", "organisation": "HealthBody", "hospital": "Hospital", "trust": "NHSTrust",
                "council": "LocalAuthority", "area team": "NHSEnglandAreaTeam", "health authority": "HealthAuthority",
                "locality": "LocalityCommissioningGroup", "CCG": "ClinicalCommissioningGroup", "PCT": "PrimaryCareTrust",
                "LMC": "LocalMedicalCommittee", "STP": "SustainabilityAndTransformationPartnership",
                "ICB": "IntegratedCareBoard", "CSU": "CommissioningSupportUnit", "HWB": "HealthAndWellbeingBoard"}
_LOWER_HEAD = "|".join(sorted((h for h in _LOWER_HEADS if h.islower()), key=len, reverse=True))
_ALL_HEAD = "|".join(sorted(_LOWER_HEADS, key=len, reverse=True))
# Both are found from their heads backwards (a head is rarer than a capital letter): the head, then the places
# that end just before it, within a short window.
_LOWER_HEAD_AT = re.compile(rf"(?<=\s)(?P<head>{_LOWER_HEAD})(?![\w-])")
_PLURAL_HEAD_AT = re.compile(rf"(?<=\s)(?P<head>(?:{_ALL_HEAD})s)(?![\w-])")
_PLACE_GROUP = re.compile(rf"(?<![\w'’-])(?P<seq>{_PLACE_SEQ})\s+$")
# in a list, "and" joins the places; within one place only "upon", "on" and "of" do ("Newcastle upon Tyne")
_PLACE_SEQ_ONE = (rf"(?:{_DIRECTION}\s+(?:(?:and|&)\s+{_DIRECTION}\s+)?)?{_PLACE_WORD}"
                  rf"(?:\s+(?:(?:upon|on|of)\s+)?(?:{_DIRECTION}\s+)?{_PLACE_WORD})*")
_PLACE_CONJUNCT = re.compile(_PLACE_SEQ_ONE)
_PLACE_LIST = re.compile(rf"(?<![\w'’-])(?P<seq>{_PLACE_SEQ_ONE}(?:\s*,\s*{_PLACE_SEQ_ONE})*,?\s+(?:and|&)\s+{_PLACE_SEQ_ONE})"
                         rf"\s+$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|our|this|that|each|both|one|another)\s+(?:[a-z][\w-]*\s+){0,3}$", re.I)
_NHS_NOT_PLACE = {"england", "improvement", "digital", "direct", "alliance", "confederation", "providers", "employers",
                  "choices", "professionals", "resolution", "property", "pensions", "scotland", "wales", "northern",
                  "blood", "estates", "shared", "business", "litigation", "institute", "leadership", "trust", "trusts",
                  "foundation", "plan", "constitution", "reforms", "reform", "bill", "act", "long", "five", "health",
                  "check", "app", "jobs", "clinical", "commissioning", "commissioners", "primary", "support", "supply",
                  "federation", "partners", "london", "midlands", "north", "south", "east", "west", "national"}
_SHORT_FORM_HEADS = {"Magazine", "University", "Hospital", "Federation"}
_ATTRIBUTION_LINE = re.compile(rf"\s*(?:[-–—]+\s*)?(?P<name>{_NAME}(?:\s+[A-Z][a-z]+)?)\s*")
_WEB_NAME = re.compile(r"(?<![@/\w.-])(?<!www\.)(?P<d>[a-z][a-z0-9-]{2,}\.(?:net|com|org|co\.uk|org\.uk|nhs\.uk))"
                       r"(?![\w/@-]|\.\w)")
_ORG_HEAD_AFTER = re.compile(rf"\s+{_ORG_HEAD}\b")
_INITIAL_STOP = {"of", "and", "the", "for", "&", "upon", "on", "in", "at"}


def _name_start(ptext: str, s: int, e: int, keep_last: bool = True) -> int:
    """Where a name found by its capitalised words really starts: after a headline's capitalised function
    words ("Plans For Barsetshire CCG"), a capitalised "The" inside it ("Tomorrow The Trust"), words that
    begin sentences but never names ("Yesterday", "Under", months and weekdays), "Members of" and the like,
    and a leading connector. Returns e when nothing of a name is left (with keep_last, the last word, the
    head, always stays)."""
    tokens = [(m.start(), m.group(0)) for m in re.finditer(r"[\w'’&.-]+", ptext[s:e])]
    if not tokens:
        return e
    limit = len(tokens) - 1 if keep_last else len(tokens)
    i = 0
    for k in range(1, limit):
        if tokens[k][1] in _TITLE_FUNCTION:
            i = k + 1
    for k in range(0, limit):
        if tokens[k][1].endswith(".") and tokens[k][1][:-1].lower() not in _ABBREV and len(tokens[k][1]) > 2:
            i = max(i, k + 1)       # "... in Essex. Anglia Ruskin University": a sentence ended there
    while i < limit:
        word = tokens[i][1]
        low = re.sub(r"['’]s$", "", word).lower()
        if low in _LEADING_NOT_NAME or word in _TITLE_FUNCTION or low in _INITIAL_STOP:
            i += 1
            continue
        if i + 1 < limit and tokens[i + 1][1] == "of" and low in _PART_OF:
            i += 2
            continue
        break
    return s + tokens[i][0] if i < len(tokens) else e


def _letters(label: str) -> str:
    """The letters an abbreviation of a name may use: each word's initial, every letter of an acronym in it."""
    out = []
    for word in re.findall(r"[A-Za-z][\w'’-]*", label):
        out.append(word if word.isupper() and len(word) <= 6 else word[0].upper())
    return "".join(out)


def _abbreviates(abbreviation: str, label: str) -> bool:
    """Whether a bracketed abbreviation fits a name: its capitals, in order, among the name's initials (and
    acronyms), the first being the name's first or second initial."""
    wanted = abbreviation[:-1] if abbreviation.endswith("s") and abbreviation[:-1].isupper() else abbreviation
    wanted = [c for c in wanted.upper() if c.isalpha()]
    letters = _letters(label)
    if not wanted or wanted[0] not in letters[:2]:
        return False
    pos = 0
    for c in wanted:
        pos = letters.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _initials(label: str) -> list[str]:
    """The abbreviations a named body is likely to be called by without defining them: its content words'
    initials ("ARU"), with an acronym in it spelt out ("NLCCG"); none for names of fewer than three words."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", label) if w.lower() not in _INITIAL_STOP]
    if len(words) < 3:
        return []
    plain_form = "".join(w[0].upper() for w in words)
    spelt = "".join(w if w.isupper() and len(w) <= 6 else w[0].upper() for w in words)
    return sorted({f for f in (plain_form, spelt) if 3 <= len(f) <= 8})
# "NHS Barsetshire": a place after "NHS", the way PCTs (from 2007), some CCGs and the ICBs (from 2022) style themselves.
_NHS_PLACE = re.compile(rf"\bNHS\s+(?P<seq>{_PLACE_SEQ})(?![\w'’-])")
# "Healthwatch Barsetshire": a local Healthwatch, the public's statutory voice on health and care in an area
# (its head comes first); "Healthwatch England" is the national one.
_HEALTHWATCH = re.compile(rf"\bHealthwatch\s+(?P<seq>{_PLACE_SEQ})(?![\w'’-])")
# An abbreviation defined in brackets after a name: "Barsetshire Health Forum (BHF)".
_BRACKET_ABBREVIATION = re.compile(r"\s*\((?P<a>[A-Z][A-Za-z&]{1,7}s?)\)")
_UPPER_TOKEN = re.compile(r"\b[A-Z][A-Z&]{1,7}\b")
# People named beside their role: "Jane Smith, chair of ...", "clinical chair Jane Smith".
_ROLE = (r"(?:(?:clinical|medical|executive|non-executive|vice|deputy|joint|interim|acting|former|senior|associate|"
         r"assistant|local|lay|managing|finance|nursing|honorary|general|national|regional|programme|strategic)[\s-]+){0,2}"
         r"(?:chair(?:man|woman|person)?|chief executive|chief officer|chief operating officer|accountable officer|"
         r"director|clinical lead|lead|GP|doctor|secretary|president|spokes(?:man|woman|person)|head|manager|member|"
         r"partner|councillor|leader|consultant|nurse|professor|minister|MP|officer|commissioner|founder|editor|"
         r"analyst|fellow|researcher|advis[eo]r|governor|practitioner|principal|trustee|convenor|coordinator)")
_PERSON_ROLE_AFTER = re.compile(rf"\b(?P<name>{_NAME}(?:\s+[A-Z][a-z]+)?),\s+(?:who\s+is\s+|now\s+)?(?:(?:the|a|an|its|their)\s+)?"
                                rf"(?:[a-z]+[\s-]+){{0,2}}?{_ROLE}(?:s)?\b")
_PERSON_ROLE_BEFORE = re.compile(rf"\b(?=[CcMmEeVvDdIiAaSsPpLlGgHhm])(?:[Cc]linical |[Mm]edical |[Ee]xecutive |[Vv]ice |[Dd]eputy |[Ii]nterim |[Aa]cting )?"
                                 rf"(?:chair(?:man|woman)?|chief executive|chief officer|accountable officer|director|"
                                 rf"secretary|president|spokes(?:man|woman|person)|leader|clinical lead|GP|"
                                 rf"[Hh]ealth [Ss]ecretary|[Hh]ealth [Mm]inister|[Pp]rime [Mm]inister|minister|councillor|Cllr\.?)\s+"
                                 rf"(?P<name>{_NAME})\b")
_GENERIC = {"nhs", "primary", "care", "clinical", "commissioning", "group", "groups", "health", "and", "wellbeing",
            "board", "local", "national", "the", "trust", "trusts", "foundation", "integrated", "strategic",
            "authority", "medical", "committee", "support", "unit", "sustainability", "transformation", "partnership",
            "new", "all", "each", "every", "this", "that", "our", "their", "its", "a", "an", "of", "county", "city",
            "borough", "district", "council", "hospital", "hospitals", "acute", "gp", "system", "consortium",
            "consortia", "in", "on", "if", "but", "when", "as", "for", "by", "with", "so", "there", "these", "those",
            "some", "many", "most", "both", "another", "other", "which", "where", "while", "community", "mental",
            "public", "social", "general", "practice", "practices", "senate", "senates", "network", "networks",
            "any", "qualified", "provider", "providers", "specialist", "joint", "shadow", "pathfinder", "single",
            "large", "small", "big", "former", "current", "previous", "existing", "proposed", "planned", "regional",
            "area", "team", "region", "office", "department", "government", "secretary", "state", "ministry", "&",
            "upon", "university", "magazine", "federation", "cluster", "locality", "college", "society",
            "association", "healthwatch"}


# Publisher cues of the genre: a newsletter's masthead, a publishing line, writing as "we" of a body.
_MASTHEAD = re.compile(r"\b(?:news\s?letter|bulletin|e-?news|e-?bulletin|briefing|magazine|digest|gazette)\b(?!\s+(?:of|on|about|to)\b)"
                       r"|^\s*(?:The\s+)?(?:[A-Z][\w&'’-]*\s+){1,5}(?:News|Update|Weekly|Monthly|Matters|Voice)\b", re.I)
_PUBLISHED_BY = re.compile(r"\b(?:published|issued|produced|distributed|circulated|brought to you)\s+by\s+(?:the\s+)?"
                           r"|\bon behalf of\s+(?:the\s+)?|\b(?:news\s?letter|bulletin|magazine|journal)\s+of\s+(?:the\s+)?"
                           r"|(?:©|\(c\)|\bcopyright)\s*(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)\d\d\s*)?)?(?:the\s+)?", re.I)
_WE_AT = re.compile(r"\b(?:we|us)\s+(?:here\s+)?at\s+(?:the\s+)?|\bhere at\s+(?:the\s+)?", re.I)
_DEF_SUBJECT_WE = re.compile(r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n))The\s+[^.!?\n]{1,220}?\b(?:and|,|but)\s+(?:we|our)\b", re.M)
_NOT_PUBLISHERS = {"Person", "GeneralPractice", "HealthcareProvider", "Hospital", "GovernmentBody"}
_BOARD_PAPER = re.compile(r"\b(?:board meeting|meeting of the (?:governing )?(?:board|body)|governing body meeting|"
                          r"agenda item|item \d+(?:\.\d+)?\s*[:.]|paper (?:for|to) the (?:board|governing body)|"
                          r"the (?:board|governing body|committee) is (?:asked|invited|requested) to|"
                          r"for (?:decision|approval|noting|assurance)\b|purpose of (?:this|the) (?:paper|report))", re.I)

# Anaphors that stand for a body when they are the subject of a cue ("It will merge with ...", "The trust
# said ..."), and the kinds of body each definite description fits.
_ANAPHOR = re.compile(r"\b(?P<pro>[Ii]t|[Tt]hey)\b|\b(?:[Tt]he)\s+(?:(?:new|same|merged|former|local|enlarged|combined|single)\s+)?(?P<head>trust|group|board|council|authority|committee|"
                      r"consortium|partnership|organisation|organization|body|regulator|alliance|department|"
                      r"federation|network|senate)(?P<pl>s)?\b")
_ANAPHOR_SUBJECT = re.compile(r"(?:[.!?:;\"“”]\s*|,\s*|\b(?:and|but|so|then|that|as|because|when|while|after|before|"
                              r"since|although|though|where|now|also|yet|until|once|said|says|say|added|adds|believes|"
                              r"thinks|expects|hopes|warned|warns|insists|insisted|announced|confirmed|admitted)\s+)$", re.I)
_ANAPHOR_CUE = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|will|would|could|may|might|shall|should|must|also|now|then|later|recently|"
    r"subsequently|eventually|soon|already|been|be|being|to|not|never|formally|finally|itself|themselves|jointly|both|"
    r"all|expects?|plans?|planned|intends?|wants?|wishes|hopes?|is set|are set|going|due|about|agreed|voted|decided)\b)*"
    r"\s+(?:merg|amalgamat|join|combin|cluster|fold|absorb|coalesc|abolish|scrap|disband|dissolv|wound up|replac|"
    r"took over|take over|taking over|succeed|establish|set up|creat|form|launch|introduc|bec[oa]m|turn|convert|"
    r"transform|mov|transfer|realign|renam|re-?brand|split|demerg|host|authori|approv|licen|accredit|regulat|refer|"
    r"sen[dt]\b|delegat|devolv|commission|buy|bought|purchas|contract|negotiat|overs[ea]|performance|accountable|"
    r"answerable|report|said|say|add|argu|believ|claim|warn|insist|note|point|suggest|predict|urg|call|emphasis|"
    r"stress|told|tell|writ|wrote|state|comment|admit|fear|complain|explain|acknowledg|conclud|recommend)", re.I)
_SUBJECT_START = re.compile(r"(?:^|[.!?][\"”’')]*\s+|[:;]\s+|,\s+(?:and|but)\s+|\n)(?:the\s+)?$", re.I)
_ANAPHOR_CLASSES = {
    "trust": {"PrimaryCareTrust", "NHSTrust"},
    "group": {"ClinicalCommissioningGroup", "PrimaryCareGroup", "GPCommissioningConsortium", "LocalityCommissioningGroup",
              "PracticeBasedCommissioningGroup"},
    "board": {"NHSCommissioningBoard", "IntegratedCareBoard", "HealthAndWellbeingBoard"},
    "council": {"LocalAuthority"}, "authority": {"StrategicHealthAuthority", "HealthAuthority", "LocalAuthority"},
    "committee": {"LocalMedicalCommittee"}, "consortium": {"GPCommissioningConsortium"},
    "partnership": {"SustainabilityAndTransformationPartnership", "IntegratedCareSystem"},
    "regulator": {"Regulator", "HealthcareSectorRegulator", "ProfessionalRegulator"},
    "department": {"DepartmentOfState"}, "senate": {"ClinicalSenate"}, "network": {"ClinicalNetwork"},
}


def _is_plural(m: "Mention") -> bool:
    """A kind of body or a collective named in the plural ("the PCTs", "foundation trusts", "consortia"); a
    named body is one, whatever its name ends with."""
    if m.kind == "type" or m.collective:
        words = m.text.split()
        return bool(words) and bool(re.search(r"(?:[a-z]s|[A-Z]s|ia)$", words[-1]))
    return False


def _head_fits(head: str, m: "Mention") -> bool:
    if head in ("organisation", "organization", "body"):
        return True
    words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", m.label + " " + m.text)}
    return head in words or m.type in _ANAPHOR_CLASSES.get(head, ())


_WEB_DOMAIN = re.compile(r"(?:@|www\.|https?://(?:www\.)?)(?P<d>[a-z0-9-]{4,})\.(?:org|co|com|nhs|gov|net|ac)\b", re.I)
_RELATIVE_BEFORE_VERB = re.compile(r",\s+(?:who|which)\s+[^,.;:!?]{1,100},\s*(?:(?:has|have|had|also|now)\s+)?$")
_LETTERHEAD = re.compile(rf"^\s*(?:NHS\s+)?(?:[A-Z][\w'’&.-]*\s+(?:(?:and|of|upon|on|the|&)\s+)?){{1,6}}{_ORG_HEAD}\s*$")
_RELEASE_LABEL = re.compile(r"^\s*(?:press|news|media)\s+release\s*$|^\s*(?:for immediate release|embargoed)\b", re.I)
_BYLINE_START = re.compile(r"^\s*(?:by|posted by|written by|author)\b\s*:?\s+[A-Z]", re.I)
_NAMED_SOURCE = re.compile(r"(?:the\s+)?(?P<n>[A-Z][\w'’&.-]*(?:\s+(?:(?:of|and|for|&|the|on)\s+)*[A-Z][\w'’&.-]*){0,6})")
_ORG_WORD = re.compile(r"\b(?:Unit|Fund|Trust|Institute|Foundation|Centre|Center|Society|Association|College|Council|"
                       r"Board|Group|Commission|Office|Department|Authority|Committee|Alliance|Confederation|Federation|"
                       r"Network|Partnership|Forum|Agency|Service|Services|University|NHS|Ltd|plc|LLP|Observatory)\b")

class Extractor:
    def __init__(self, gazetteer: Gazetteer, exclude_graphs: frozenset = frozenset()):
        self.gaz = gazetteer
        self.exclude = exclude_graphs

    # -- the whole document -----------------------------------------------------------------------------
    def run(self, source: Source) -> Extraction:
        text = source.text
        ptext = plain(text)
        paras = paragraphs(ptext)
        meta = self._metadata(source, ptext, paras)
        doc_date = meta["date"]
        mentions = self._entities(text, ptext, paras, doc_date)
        self._publisher_by_genre(ptext, paras, meta, mentions)
        self._publisher_self_references(ptext, meta, mentions)
        mentions = self._resolve_anaphora(text, ptext, paras, mentions)
        result = Extraction(str(source.path), source.sha256, meta["title"], doc_date, meta["author"],
                            meta["publisher"], meta["author_iri"], meta["publisher_iri"], mentions,
                            text_length=len(text), genre=self._genre(ptext, paras, meta),
                            publisher_type=meta.get("publisher_type"))
        self._author_label = meta["author"] or meta["publisher"] or AUTHOR_UNKNOWN
        self._author_iri = meta["author_iri"] or meta["publisher_iri"]
        sentences = []
        for para in paras:
            sentences.extend(split_sentences(ptext, para))
        quotes = find_quotes(text, paras)
        self._mention_starts = [m.start for m in mentions]
        self._mentions = mentions
        self._attribute_quotes(text, ptext, paras, quotes)
        skip = self._skipped_paragraphs(ptext, paras, meta)
        commissioning = self._has_commissioning_content(mentions)
        result.changes, result.oversight = self._relations(text, ptext, sentences, skip, doc_date)
        result.claims = self._claims(text, ptext, paras, sentences, quotes, skip, meta, commissioning)
        return result

    # -- entities -------------------------------------------------------------------------------------
    def _entities(self, text: str, ptext: str, paras: list[Paragraph], date: str | None) -> list[Mention]:
        """Mentions paragraph by paragraph (bounded work per unit): gazetteer names, then bodies the graph
        does not know (`_body_candidates`), then people; then, over the whole document, abbreviations and short
        names of the bodies found, and surnames of people named in full."""
        per_para: list[list[Mention]] = []
        for para in paras:
            found = [Mention(s, e, text[s:e], v.entry.type, v.entry.iri, v.entry.label, v.entry.kind, v.method,
                             0.9 if v.method in ("gazetteer", "register") else 0.7, v.entry.collective)
                     for s, e, v in self.gaz.scan(ptext, para.start, para.end, date, self.exclude)]
            taken = _Spans(found)
            removed: set = set()
            for s, e, head_class, label, method in self._body_candidates(ptext, para, date):
                inside = [x for x in taken.inside(s, e) if id(x) not in removed]
                if any(x.start < s or x.end > e or x.kind == "person" for x in inside):
                    continue
                if inside and (all(x.start == s and x.end == e for x in inside) or
                               not all(x.kind == "type" or x.collective or x.text.lower() in _GENERIC for x in inside)):
                    continue
                known = self._resolve_name(label)
                if known is not None:
                    # the name as the register or the graph writes it, though the text spelt it otherwise
                    new = Mention(s, e, text[s:e], known.type, known.iri, known.label, known.kind, "register", 0.7,
                                  known.collective)
                else:
                    new = Mention(s, e, text[s:e], head_class, None, label, "body", method, 0.5)
                removed.update(id(x) for x in inside)
                found.append(new)
                taken.add(new)
            for regex in (_NEW_PERSON, _NEW_SPEAKER, _PERSON_ROLE_AFTER, _PERSON_ROLE_BEFORE):
                for m in regex.finditer(ptext, para.start, para.end):
                    group = next(g for g in ("name", "name2", "name3", "name4") if g in m.groupdict() and m.group(g))
                    s, e = m.start(group), m.end(group)
                    if regex is _NEW_PERSON:
                        s = m.start()
                    name = ptext[m.start(group):e]
                    words = name.split()
                    if regex is not _NEW_PERSON and len(words) >= 3 and \
                            (words[0].lower() in _NOT_NAME or words[0].lower() in _LEADING_NOT_NAME):
                        # "However Jane Smith, chair of ...": the name starts after the sentence's first word
                        s = ptext.index(words[1], s + len(words[0]))
                        name, words = ptext[s:e], words[1:]
                    first = words[0]
                    if first.lower() in _NOT_NAME or first.lower() in MONTHS or \
                            any(w.lower() in _GENERIC - {"state"} for w in words):
                        continue
                    if regex is not _NEW_PERSON and (first.lower() in _LEADING_NOT_NAME or
                                                      all(self._is_place(w) or re.fullmatch(_DIRECTION, w) for w in words)):
                        continue
                    if any(id(x) not in removed for x in taken.inside(s, e)):
                        continue
                    person = Mention(s, e, text[s:e], "Person", None, " ".join(name.split()), "person",
                                     "person-role" if regex in (_PERSON_ROLE_AFTER, _PERSON_ROLE_BEFORE)
                                     else "person-pattern", 0.6)
                    found.append(person)
                    taken.add(person)
            if para.index > 0 and ptext[paras[para.index - 1].end - 1] in "\"”":
                # a line that is only a name, under a quotation: who said it (an epigraph, a pull quote)
                m = _ATTRIBUTION_LINE.fullmatch(ptext, para.start, para.end)
                words = m.group("name").split() if m else []
                if m and words[0].lower() not in _NOT_NAME and words[0].lower() not in _LEADING_NOT_NAME and \
                        not any(w.lower() in _GENERIC for w in words) and not all(self._is_place(w) for w in words) \
                        and not taken.inside(m.start("name"), m.end("name")):
                    name = " ".join(words)
                    person = Mention(m.start("name"), m.end("name"), text[m.start("name"):m.end("name")], "Person",
                                     None, name, "person", "person-attribution", 0.6)
                    found.append(person)
                    taken.add(person)
            found = [x for x in found if id(x) not in removed]
            found.sort(key=lambda m: (m.start, -m.end))
            per_para.append(found)
        self._abbreviations(text, ptext, paras, per_para)
        self._short_names(text, ptext, paras, per_para)
        # a person named in full is found again by surname alone ("Dixon", "Dr Dixon"), after the full name
        persons: dict[str, Mention] = {}
        for found in per_para:
            for m in found:
                if m.kind == "person" and len(m.label.split()) >= 2:
                    persons.setdefault(m.label.split()[-1], m)
        if persons:
            surname = re.compile(r"\b(?:" + HONORIFICS + r"\.?\s+)?(" + "|".join(map(re.escape, persons)) + r")\b")
            for para, found in zip(paras, per_para):
                taken = None
                more = []
                for m in surname.finditer(ptext, para.start, para.end):
                    p = persons[m.group(1)]
                    if m.start() == m.start(1) and m.group(1).lower() in _LEADING_NOT_NAME:
                        continue        # "in May" is the month, not Theresa May; "Mrs May" is her
                    if p.start > m.start():
                        continue
                    taken = taken or _Spans(found)
                    if taken.overlaps(m.start(), m.end()):
                        for guessed in taken.inside(m.start(), m.end(), any_overlap=True):
                            if guessed.kind == "person" and guessed.iri is None and guessed.label == m.group(1):
                                guessed.label, guessed.iri = p.label, p.iri     # "Dr Crewe" is Alan Crewe
                        continue
                    x = Mention(m.start(), m.end(), text[m.start():m.end()], "Person", p.iri, p.label, "person",
                                "surname", 0.6)
                    more.append(x)
                    taken.add(x)
                if more:
                    found.extend(more)
                    found.sort(key=lambda m: (m.start, -m.end))
        return [m for found in per_para for m in found]

    # -- bodies the gazetteer does not know ---------------------------------------------------------------
    def _is_place(self, word: str) -> bool:
        """Whether a capitalised word reads as a place: one of the register's place words, or an English
        place-name ending ("-shire", "-ford", "-field" ...)."""
        low = word.lower().strip("'’")
        if low in _NOT_PLACES or not word[:1].isupper():
            return False
        return low in self.gaz.places or (len(low) >= 5 and bool(_PLACE_ENDING.search(low)))

    def _has_place(self, seq: str) -> bool:
        return any(self._is_place(w) for w in re.findall(_PLACE_WORD, seq) if not re.fullmatch(_DIRECTION, w))

    def _resolve_name(self, label: str) -> Entry | None:
        """The known body a constructed name ("Northfield CCG" from "Northfield and Southfield CCGs") stands
        for, when the gazetteer (under the same exclusions) matches the whole name to one body."""
        ptext = plain(label)
        hits = list(self.gaz.scan(ptext, 0, None, None, self.exclude))
        if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(ptext):
            entry = hits[0][2].entry
            if entry.kind == "body" and entry.iri and not entry.collective:
                return entry
        return None

    def _body_candidates(self, ptext: str, para: Paragraph, date: str | None):
        """Names of bodies written the genre's ways, as (start, end, class, label, method):
        capitalised words ending in an organisation head ("Barsetshire and Wessex Clinical Commissioning
        Group", "the North Barset Commissioning Support Unit", "Barsetshire LMC"); "NHS" and a place
        ("NHS Barsetshire": a PCT before April 2013, a CCG until July 2022, an ICB after); a place with a
        lower-case head after a determiner ("the East Barset group"); several places sharing one plural
        head ("Northfield and Southfield CCGs", one body each). Sentence-initial words, headline words and
        "Members of" are trimmed off; a name of generic words only ("the Clinical Commissioning Group") is
        no name."""
        yield from self._head_first_candidates(ptext, para)
        out = []
        for m in _NEW_ORG.finditer(ptext, para.start, para.end):
            # "A CCG and B CCG" is two names
            s = m.start("name")
            for cut in _ORG_AND.finditer(m.group("name")):
                out.append((s, m.start("name") + cut.start(1)))
                s = m.start("name") + cut.end()
            out.append((s, m.end("name")))
        for s, e in out:
            s = _name_start(ptext, s, e)
            name = ptext[s:e]
            words = re.findall(r"[\w'’&.-]+", name)
            if not words or not any(w.lower() not in _GENERIC for w in words):
                continue
            yield s, e, _head_class(name), " ".join(name.split()), "org-head"
        for h in _PLURAL_HEAD_AT.finditer(ptext, para.start, para.end):
            m = _PLACE_LIST.search(ptext, max(para.start, h.start() - 160), h.start())
            if m is None:
                continue
            head = h.group("head")[:-1]
            cls = _LOWER_HEADS.get(head) or _LOWER_HEADS.get(head.lower(), "HealthBody")
            conjuncts = [c for c in _PLACE_CONJUNCT.finditer(ptext, m.start("seq"), m.end("seq"))]
            if len(conjuncts) < 2 or not all(self._has_place(c.group(0)) for c in conjuncts):
                continue
            for c in conjuncts:
                s = _name_start(ptext, c.start(), c.end(), keep_last=False)
                if s >= c.end():
                    continue
                yield s, c.end(), cls, f"{' '.join(ptext[s:c.end()].split())} {head}", "place-head"
        for h in _LOWER_HEAD_AT.finditer(ptext, para.start, para.end):
            m = _PLACE_GROUP.search(ptext, max(para.start, h.start() - 80), h.start())
            if m is None:
                continue
            s, e = m.start("seq"), m.end("seq")
            s = _name_start(ptext, s, e, keep_last=False)
            if s >= e or not self._has_place(ptext[s:e]):
                continue
            # a determiner before it (adjectives between): "the very large mid and west Barset group"
            if not _DETERMINER_BEFORE.search(ptext, max(para.start, s - 40), s):
                continue
            head = h.group("head")
            yield s, h.end("head"), _LOWER_HEADS[head], f"{' '.join(ptext[s:e].split())} {head}", "place-head"
        has_web_name = any(ptext.find(tld, para.start, para.end) >= 0 for tld in (".net", ".com", ".org", ".uk"))
        for m in _WEB_NAME.finditer(ptext, para.start, para.end) if has_web_name else ():
            # "Roy Smith from examplenews.net": a web site named as a source, not a link to it
            yield m.start("d"), m.end("d"), "MediaOrganisation", m.group("d"), "web-name"
        for m in _NHS_PLACE.finditer(ptext, para.start, para.end):
            seq = m.group("seq")
            words = [w.lower() for w in re.findall(_PLACE_WORD, seq)]
            if not self._has_place(seq) or any(w in _NHS_NOT_PLACE for w in words):
                continue
            if _ORG_HEAD_AFTER.match(ptext, m.end()):
                continue       # "NHS Barsetshire CCG": the capitalised-head rule has it
            cls = ("CommissioningBody" if not date else "PrimaryCareTrust" if date < "2013-04" else
                   "ClinicalCommissioningGroup" if date < "2022-07" else "IntegratedCareBoard")
            yield m.start(), m.end(), cls, " ".join(m.group(0).split()), "nhs-place"

    def _head_first_candidates(self, ptext: str, para: Paragraph):
        """Names whose head comes first, as (start, end, class, label, method): "the Royal College of Nursing",
        "the National Association of Sessional GPs" (membership bodies) and "Healthwatch Barsetshire" (the
        public's voice in an area, a campaign body). They come before the names found by a head at the end, so
        "the British Association of Dermatologists" is not cut to "British Association". A place straight
        after a field word ends the name ("Royal College of Nursing Barsetshire"), one after "of" or "in"
        belongs to it. Where the words after an "and" name a body of their own ("the Royal College of Nursing
        and Loamshire LMC"), they are offered as that body; otherwise the whole is offered first, then the name
        before each "and", longest first, for when the whole cannot stand."""
        def has(word: str) -> bool:      # a cheap test before the regular expression runs over the paragraph
            return ptext.find(word, para.start, para.end) >= 0

        if has("Royal") or has("Association"):
            for m in _HEAD_FIRST.finditer(ptext, para.start, para.end):
                s = _name_start(ptext, m.start(), m.end("head"))
                ends, and_cuts, previous, other_body_at = [], [], "of", None
                for w in _FIELD_TOKEN.finditer(ptext, m.end("head"), m.end()):
                    word = w.group(0)
                    if word == "and" and ends:
                        and_cuts.append((ends[-1], w.end()))
                    if not word[:1].isupper():
                        previous = word
                        continue
                    if word.lower() in _NOT_FIELD or word.lower() in _LEADING_NOT_NAME or re.fullmatch(HONORIFICS, word) \
                            or (ends and previous not in ("of", "in") and self._is_place(word)):
                        if previous == "and":
                            other_body_at = w.start()
                        break
                    ends.append(w.end())
                    previous = word
                if not ends:
                    continue
                and_cuts = [c for c in and_cuts if c[0] < ends[-1]]
                if and_cuts and _ENDS_IN_ORG_HEAD.search(ptext, s, ends[-1]):
                    # "... of Nursing and British Medical Association": the words after the last "and" are a body
                    ends, other_body_at, and_cuts = [and_cuts[-1][0]], _SPACES.match(ptext, and_cuts[-1][1]).end(), []
                for e in [ends[-1]] + [c for c, _ in and_cuts[::-1]]:
                    yield s, e, "MembershipBody", " ".join(ptext[s:e].split()), "org-head"
                other = _NEW_ORG.match(ptext, other_body_at, para.end) if other_body_at is not None else None
                if other is not None:
                    name = other.group("name")
                    yield other.start(), other.end("name"), _head_class(name), " ".join(name.split()), "org-head"
        if has("Healthwatch"):
            for m in _HEALTHWATCH.finditer(ptext, para.start, para.end):
                # up to its last place word: "Healthwatch Loamshire Chair Jane Smith" is "Healthwatch Loamshire"
                places = [w.end() for w in re.finditer(_PLACE_WORD, m.group("seq"))
                          if self._is_place(w.group(0)) or w.group(0) == "England"]
                if places:
                    e = m.start("seq") + places[-1]
                    yield m.start(), e, "CampaignBody", " ".join(ptext[m.start():e].split()), "org-head"

    def _abbreviations(self, text: str, ptext: str, paras: list[Paragraph], per_para: list) -> None:
        """Abbreviations of named bodies: one defined in brackets after the name ("Barsetshire Local Medical
        Committee (BLMC)") stands for that body wherever it recurs after, even where it is also a kind
        ("LMC" after "Barset Local Medical Committee (LMC)"); an unknown capitalised abbreviation made of the
        initials of a body named earlier ("ARU" after "Anglia Ruskin University") is that body."""
        defined: dict[str, tuple[Mention, int]] = {}
        initials: dict[str, tuple[Mention, int]] = {}
        for found in per_para:
            for m in found:
                if m.kind != "body" or m.collective or m.method in ("anaphor",):
                    continue
                b = _BRACKET_ABBREVIATION.match(ptext, m.end)
                if b and _abbreviates(b.group("a"), m.label) and b.group("a") not in defined:
                    defined[b.group("a")] = (m, b.start("a"))
                for form in _initials(m.label):
                    initials.setdefault(form, (m, m.end))
        if not defined and not initials:
            return
        known = set(ABBREVIATIONS) | {a + "s" for a in ABBREVIATIONS}
        for para, found in zip(paras, per_para):
            added = False
            spans = None
            for u in _UPPER_TOKEN.finditer(ptext, para.start, para.end):
                token = u.group(0)
                source = defined.get(token)
                if source is None and token not in known:
                    source = initials.get(token)
                if source is None or u.start() < source[1]:
                    continue
                body = source[0]
                spans = spans or _Spans(found)
                there = spans.inside(u.start(), u.end())
                # what stands on the abbreviation alone ("LMC", "the LMC") gives way to the document's own
                # definition; a longer name around it does not
                if there and not all(x.end == u.end() and re.fullmatch(r"(?:[Tt]he\s+)?", ptext[x.start:u.start()])
                                     and (token in defined or x.kind == "type" or x.collective) for x in there):
                    continue
                for x in there:
                    found.remove(x)
                spans.remove(there)
                start = min([u.start()] + [x.start for x in there])
                x = Mention(start, u.end(), text[start:u.end()], body.type, body.iri, body.label, "body",
                            "abbreviation-defined", round(min(body.confidence, 0.8), 2), False)
                found.append(x)
                spans.add(x)
                added = True
            if added:
                found.sort(key=lambda m: (m.start, -m.end))

    def _short_names(self, text: str, ptext: str, paras: list[Paragraph], per_para: list) -> None:
        """A body the graph does not know, named in full with a head that is not a kind of commissioner
        ("Pulse Magazine", "Barchester University", "St Ewold's Hospital"), is that body again where its name
        recurs without the head ("told Pulse"), after the full name. Place names are not shortened: "Barset"
        after "Barset CCG" is the place."""
        short: dict[str, tuple[Mention, int]] = {}
        for found in per_para:
            for m in found:
                if m.kind != "body" or m.iri or m.method != "org-head":
                    continue
                words = m.label.split()
                if len(words) < 2 or words[-1] not in _SHORT_FORM_HEADS:
                    continue
                rest = words[1:-1] if words[0] == "The" else words[:-1]
                if not rest or any(w.lower() in _GENERIC or w.lower() in _LEADING_NOT_NAME or not w[:1].isupper()
                                   for w in rest) or all(self._is_place(w) for w in rest):
                    continue
                short.setdefault(" ".join(rest), (m, m.end))
        if not short:
            return
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(short, key=len, reverse=True))) + r")\b(?![\w'’-]|\s+[A-Z])")
        for para, found in zip(paras, per_para):
            spans = None
            added = False
            for m in pattern.finditer(ptext, para.start, para.end):
                body, after = short[m.group(1)]
                if m.start() < after:
                    continue
                spans = spans or _Spans(found)
                if spans.overlaps(m.start(), m.end()):
                    continue
                x = Mention(m.start(), m.end(), text[m.start():m.end()], body.type, None, body.label, "body",
                            "short-name", 0.4)
                found.append(x)
                spans.add(x)
                added = True
            if added:
                found.sort(key=lambda m: (m.start, -m.end))

    @staticmethod
    def _has_commissioning_content(mentions: list[Mention]) -> bool:
        kinds = {m.iri or m.label for m in mentions if m.type in COMMISSIONING_CLASSES}
        return len(kinds) >= 1 and sum(1 for m in mentions if m.type in COMMISSIONING_CLASSES) >= 2

    # -- the publisher, from the genre's conventions ----------------------------------------------------
    def _publisher_by_genre(self, ptext: str, paras: list[Paragraph], meta: dict, mentions: list[Mention]) -> None:
        """Where the page's web address named no known body: a newsletter's masthead ("Barsetshire LMC News",
        "the newsletter of X"), "published by X" / "on behalf of X" / a copyright line, a closing line that
        is only an organisation's name, or an organisation the author writes of as "we" ("The LMC is
        working with the CCGs, and we are ..."). The first that applies names the publisher."""
        if meta["publisher"]:
            return
        self._mention_starts = [m.start for m in mentions]
        self._mentions = mentions
        head = [p for p in paras[:10] if not _is_nav(ptext[p.start:p.end])]
        tail = [p for p in paras[-10:] if not BOILERPLATE.match(ptext[p.start:p.end].strip())]
        found = None
        # a press office's web address or e-mail naming a body the page itself names ("www.barsetshireccg.nhs.uk")
        domains = {d.group("d").lower().replace("-", "") for d in _WEB_DOMAIN.finditer(ptext, max(0, len(ptext) - 6000))}
        for m in mentions if domains else ():
            if m.kind == "body" and not m.collective and m.type not in _NOT_PUBLISHERS:
                squeezed = re.sub(r"[^a-z0-9]", "", plain(m.label).lower())
                if len(squeezed) >= 5 and any(squeezed.removeprefix("nhs") == d.removeprefix("nhs") for d in domains):
                    found = m
                    break
        for p in head[:3] if found is None else ():
            # a letterhead: the page opens with an organisation's name and nothing else
            if len(ptext[p.start:p.end]) <= 90:
                found = self._publisher_in(p.start, p.end, ptext, whole_line=True)
                if found:
                    break
        for p in head if found is None else ():
            line = ptext[p.start:p.end]
            if len(line) <= 120 and _MASTHEAD.search(line) and not line.rstrip().endswith((".", "?", "!")):
                found = self._publisher_in(p.start, p.end, ptext)
                if found:
                    break
        if found is None:
            for m in _PUBLISHED_BY.finditer(ptext):
                found = self._publisher_in(m.end(), min(len(ptext), m.end() + 90), ptext, at_start=True)
                named = None if found else _NAMED_SOURCE.match(ptext, m.end())
                if named and _ORG_WORD.search(named.group("n")) and named.group("n").split()[0].lower() not in _NOT_NAME:
                    label = " ".join(named.group("n").split())     # "Issued by the Barsetshire Health Forum"
                    cls = "HealthBody" if re.search(r"\b(?:NHS|Health|Care|Medical|Clinical)\b", label) else "CampaignBody"
                    found = Mention(named.start("n"), named.end("n"), label, cls, None, label, "body", "publisher-line", 0.5)
                if found:
                    break
        if found is None:
            for p in reversed(tail):
                line = ptext[p.start:p.end].strip()
                if len(line) <= 90:
                    found = self._publisher_in(p.start, p.end, ptext, whole_line=True)
                    if found:
                        break
        if found is None:
            for m in _WE_AT.finditer(ptext):
                found = self._publisher_in(m.end(), min(len(ptext), m.end() + 90), ptext, at_start=True)
                if found:
                    break
        if found is None:
            found = self._publisher_we(ptext, paras, meta)
        if found is not None:
            meta["publisher"], meta["publisher_iri"], meta["publisher_type"] = found.label, found.iri, found.type
            press = re.search(r"press ?office|notes to editors|for immediate release|press release", ptext, re.I)
            if not meta["author"] and press:
                meta["author"], meta["author_iri"] = found.label, found.iri

    def _publisher_self_references(self, ptext: str, meta: dict, mentions: list[Mention]) -> None:
        """In a body's own page, "the LMC" or "the CCG" is that body: such a definite description of the
        publisher's kind is the publisher, whatever other body of that kind the graph knows by those words."""
        label, iri = meta["publisher"], meta["publisher_iri"]
        cls = meta.get("publisher_type") or (self.gaz.types.get(iri) if iri else None)
        if not label or not cls:
            return
        for m in mentions:
            if m.kind not in ("body", "type") or (iri and m.iri == iri) or m.type != cls:
                continue
            words = ptext[m.start:m.end].split()
            bare = words[1:] if words and words[0].lower() == "the" else words
            definite = len(bare) < len(words) or re.search(r"\b[Tt]he\s+$", ptext[max(0, m.start - 5):m.start])
            if definite and len(bare) == 1 and bare[0] in ABBREVIATIONS:
                m.iri, m.label, m.method, m.collective = iri, label, "publisher-self", False

    def _publisher_in(self, s: int, e: int, ptext: str, at_start: bool = False, whole_line: bool = False):
        """The organisation named in ptext[s:e] that can publish (a named body, not a kind of body)."""
        for m in self._in(s, e):
            if m.kind != "body" or m.collective or m.type in _NOT_PUBLISHERS:
                if at_start:
                    return None
                continue
            if at_start and not re.fullmatch(r"\s*(?:the\s+)?", ptext[s:m.start], re.I):
                return None
            if whole_line:
                rest = (ptext[s:m.start] + " " + ptext[m.end:e]).strip(" \t-–—,.:;|")
                if rest and not re.fullmatch(r"(?:(?:from|by|issued by|the)\s+)*(?:the\s+)?(?:press office|communications"
                                             r"(?: team| office)?|media (?:team|office)|secretariat|office|team)?", rest, re.I):
                    continue
            return m
        return None

    def _publisher_we(self, ptext: str, paras: list[Paragraph], meta: dict):
        """An organisation named as a sentence's subject, the sentence going on in the first person plural."""
        skip = meta["byline_paras"]
        for p in paras:
            if p.index in skip:
                continue
            for m in _DEF_SUBJECT_WE.finditer(ptext, p.start, p.end):
                for x in self._in(m.start(), m.end()):
                    if x.start <= m.start() + 4 and x.kind == "body" and not x.collective and x.type not in _NOT_PUBLISHERS \
                            and (x.iri or x.method == "org-head"):
                        return x
        return None

    @staticmethod
    def _genre(ptext: str, paras: list[Paragraph], meta: dict) -> str | None:
        top = ptext[:4000]
        if re.search(r"press ?office|notes to editors|for immediate release|press release|^\s*-?\s*ends\s*-?\s*$", ptext, re.I | re.M):
            return "press-release"
        if _BOARD_PAPER.search(top):
            return "board-paper"
        if any(_MASTHEAD.search(ptext[p.start:p.end]) and len(ptext[p.start:p.end]) <= 120
               and not ptext[p.start:p.end].rstrip().endswith((".", "?", "!")) for p in paras[:10]):
            return "newsletter-article"
        if re.search(r"^\s*(?:no comments|post a comment|leave a (?:comment|reply)|\d+ comments?:?\s*$|posted by)", ptext, re.I | re.M):
            return "blog-post"
        return None

    # -- anaphora ---------------------------------------------------------------------------------------
    def _resolve_anaphora(self, text: str, ptext: str, paras: list[Paragraph], mentions: list[Mention]) -> list[Mention]:
        """"it", "they", "the trust", "the group" ... as the subject of a change, oversight or speech cue: the
        nearest earlier body of the same paragraph that agrees in number (and, for "the X", whose kind is an
        X), never a person. Each becomes a mention of that body with method `anaphor` and a lower confidence."""
        if not mentions:
            return mentions
        starts = [m.start for m in mentions]
        added = []
        from bisect import bisect_left
        for para in paras:
            for m in _ANAPHOR.finditer(ptext, para.start, para.end):
                s, e = m.start(), m.end()
                if not _ANAPHOR_SUBJECT.search(ptext, max(para.start, s - 24), s) and s != para.start:
                    continue
                if not _ANAPHOR_CUE.match(ptext, e, min(para.end, e + 80)):
                    continue
                i = bisect_left(starts, s)
                if i < len(mentions) and mentions[i].start < e:
                    continue        # part of a name already found
                if i > 0 and mentions[i - 1].end > s:
                    continue
                head = (m.group("head") or "").lower()
                plural_wanted = bool(m.group("pro") and m.group("pro").lower() == "they") or bool(m.group("pl"))
                compatible = []
                j = i - 1
                while j >= 0 and mentions[j].start >= para.start and len(compatible) < 6:
                    cand = mentions[j]
                    j -= 1
                    if cand.kind not in ("body", "type") or cand.type in ("Person", "GeneralPractice", "HealthcareProvider"):
                        continue
                    if _is_plural(cand) != plural_wanted or (head and not _head_fits(head, cand)):
                        continue
                    compatible.append(cand)
                # the topic carried on by an earlier anaphor, else the nearest body that was a subject, else the nearest
                chained = [a for a in added if a.start >= para.start and a.end <= s and _is_plural(a) == plural_wanted
                           and (not head or _head_fits(head, a))]
                subjects = [c for c in compatible if ptext[para.start:c.start].strip().lower() in ("", "the")
                            or _SUBJECT_START.search(ptext, max(para.start, c.start - 16), c.start)]
                antecedent = chained[-1] if chained else (subjects[0] if subjects else None)
                if antecedent is None:
                    continue
                confidence = antecedent.confidence if antecedent.method == "anaphor" else round(min(antecedent.confidence, 0.9) * 0.6, 2)
                added.append(Mention(s, e, text[s:e], antecedent.type, antecedent.iri, antecedent.label, antecedent.kind,
                                     "anaphor", confidence, antecedent.collective))
        if not added:
            return mentions
        out = sorted(mentions + added, key=lambda m: (m.start, -m.end))
        return out

    # -- metadata -------------------------------------------------------------------------------------
    def _metadata(self, source: Source, ptext: str, paras: list[Paragraph]) -> dict:
        lines = [(p, ptext[p.start:p.end]) for p in paras]
        meta = {"title": None, "date": None, "author": None, "publisher": None, "author_iri": None,
                "publisher_iri": None, "title_para": None, "date_para": None, "byline_paras": set()}
        head = [(p, line) for p, line in lines[:25] if not _is_nav(line)]
        # dates: a "Date:" line, else a line that is only a date, near the top
        for p, line in head:
            m = re.match(r"^\s*(?:date|published|posted(?: on)?|updated|last updated|dated|issued|for immediate release|"
                         r"embargoed(?: until)?)\s*:?\s*(.+)$", line, re.I)
            if m:
                value, s, e = parse_full_date(m.group(1))
                if value and (len(m.group(1).strip()) <= e - s + 12 or (s <= 3 and len(line) <= 100)):
                    meta["date"], meta["date_para"] = value, p.index
                    meta["date_label"] = True
                    break
        if meta["date"] is None:
            for p, line in head:
                value, s, e = parse_full_date(line)
                if value and len(re.sub(r"[^\w]", "", line[:s] + line[e:])) <= 3:
                    meta["date"], meta["date_para"] = value, p.index
                    break
        if meta["date"] is None:
            # a board paper's heading: "Governing Body Meeting – 12 September 2018", "Meeting held on ..."
            for p, line in head[:8]:
                value, s, e = parse_full_date(line)
                if value and len(line) <= 100 and re.search(r"\b(?:meeting|held on|date of meeting|issue|edition)\b", line, re.I):
                    meta["date"], meta["date_para"] = value, p.index
                    meta["date_label"] = True
                    break
        # title
        if source.html:
            m = re.search(r"<title[^>]*>(.*?)</title>", source.raw, re.I | re.S)
            h1 = re.search(r"<h1[^>]*>(.*?)</h1>", source.raw, re.I | re.S)
            for found in (h1, m):
                if found:
                    title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
                    if title:
                        meta["title"] = title
                        break
            for pattern, key in ((r'<meta[^>]+name=["\']author["\'][^>]+content=["\']([^"\']+)', "author"),
                                 (r'<meta[^>]+property=["\']article:published_time["\'][^>]+content=["\']([^"\']+)', "date"),
                                 (r'<time[^>]+datetime=["\']([^"\']+)', "date")):
                found = re.search(pattern, source.raw, re.I)
                if found and not meta.get(key):
                    value = found.group(1).strip()
                    meta[key] = _mk(*value[:10].split("-")) if key == "date" and re.match(r"\d{4}-\d\d-\d\d", value) else value
        if meta["title"] is None:
            index = {p.index: (p, line) for p, line in head}
            dp = meta["date_para"]
            candidates = []
            if dp is not None and meta.get("date_label"):
                candidates = [dp - 1, dp + 1]
            elif dp is not None:
                candidates = [dp + 1, dp - 1]
            candidates += [p.index for p, _ in head]
            for c in candidates:
                if c in index:
                    p, line = index[c]
                    if 3 <= len(line) <= 200 and not line.rstrip().endswith((".", ":")) and \
                            parse_full_date(line)[0] is None and not BOILERPLATE.match(line) and \
                            not line.lstrip().startswith(("\"", "“")) and not _BYLINE_START.match(line) and \
                            not _RELEASE_LABEL.match(line) and not _LETTERHEAD.match(line) and \
                            not (_MASTHEAD.search(line) and len(line.split()) <= 6):
                        meta["title"], meta["title_para"] = " ".join(source.text[p.start:p.end].split()), p.index
                        break
        # author: bylines, a "Name: title" heading, a sign-off (a name followed by a month and year)
        byline = re.compile(rf"^\s*(?:posted|written|published)\s+by\s*:?\s*(?P<n>.+?)\s*$|^\s*by\s*:?\s+(?P<n2>(?:{HONORIFICS}\.?\s+)?[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){{1,3}})\s*(?:,\s*[^,.]{{2,60}})?$|^\s*author\s*:\s*(?P<n3>.+?)\s*$", re.I)
        dated_by = re.compile(rf"^.{{0,60}}\bby:?\s+(?P<n>(?:{HONORIFICS}\.?\s+)?[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){{1,3}})\s*$")
        for p, line in head:
            m = dated_by.match(line)
            if m and len(line) <= 100 and parse_full_date(line)[0] and not meta["author"]:
                meta["author"] = m.group("n")
                meta["byline_paras"].add(p.index)
        for p, line in lines:
            m = byline.match(line)
            if m and not meta["author"]:
                name = next(g for g in m.groups() if g)
                name = re.split(r"\s+(?:on|at|in)\s+|\s*[|,]\s*", name)[0]
                if 2 <= len(name) <= 60:
                    meta["author"] = name
                    meta["byline_paras"].add(p.index)
        if not meta["author"] and meta["title"]:
            m = re.match(rf"^(?P<n>(?:{HONORIFICS}\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}})\s*:\s+\S", meta["title"])
            if m and m.group("n").split()[0].lower() not in _NOT_NAME:
                meta["author"] = m.group("n")
        tail = [(p, line) for p, line in lines[-12:] if not BOILERPLATE.match(line)]
        for p, line in reversed(tail):
            m = re.match(rf"^\s*(?P<n>(?:{HONORIFICS}\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'-]+){{1,2}}),?\s+(?P<d>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH},?\s+(?:19|20)\d\d)\s*$", line)
            if m and m.group("n").split()[0].lower() not in _NOT_NAME:
                meta["byline_paras"].add(p.index)
                if not meta["author"]:
                    meta["author"] = m.group("n")
                if not meta["date"]:
                    meta["date"] = parse_full_date(m.group("d"))[0]
                break
        # publisher: the press office's address or web site, matched to a body the graph knows
        for m in re.finditer(r"(?:@|www\.|https?://(?:www\.)?)(?P<d>[a-z0-9-]{4,})\.(?:org|co|com|nhs|gov|net|ac)\b", ptext[-6000:], re.I):
            entry = self.gaz.compact.get(m.group("d").lower().replace("-", ""))
            if entry is not None:
                meta["publisher"], meta["publisher_iri"] = entry.label, entry.iri
                break
        press = re.search(r"press ?office|notes to editors|^\s*notes:\s*$|^\s*-?\s*ends\s*-?\s*$|for immediate release|press release",
                          ptext, re.I | re.M)
        if not meta["author"] and meta["publisher"] and press:
            meta["author"], meta["author_iri"] = meta["publisher"], meta["publisher_iri"]
        if meta["author"] and not meta["author_iri"]:
            name = re.sub(rf"^{HONORIFICS}\.?\s+", "", meta["author"])
            iris = self.gaz.resolve_label(meta["author"]) | self.gaz.resolve_label(name)
            iris = {i for i in iris if self._known(i)}
            if len(iris) == 1:
                meta["author_iri"] = next(iter(iris))
                meta["author"] = self.gaz.labels[meta["author_iri"]]
            else:
                meta["author"] = name
        return meta

    def _known(self, iri: str) -> bool:
        """Whether the gazetteer may use this entity for the document (not held out)."""
        if not self.exclude:
            return True
        label = self.gaz.labels.get(iri, "")
        for s, e, v in self.gaz.scan(plain(label), 0, None, None, self.exclude):
            if v.entry.iri == iri:
                return True
        return False

    def _skipped_paragraphs(self, ptext: str, paras: list[Paragraph], meta: dict) -> set:
        """Paragraphs that are page furniture, not the author's text: bylines, the date line, navigation and
        boilerplate lines, and readers' comments.

        Readers' comments are skipped from a heading that announces some ("3 comments:", "12 responses to")
        until the comment form or the next post's date line, never to the end of the page unconditionally:
        a page that holds several posts (or a document built of repeated posts) goes on with prose after
        one post's comment section. A line saying there are none ("No comments:", "Post a comment", "Leave a
        reply") opens no section; it and the short, unpunctuated lines of the comment form after it are
        skipped, and the first paragraph of prose ends that run."""
        skip = set(meta["byline_paras"])
        in_comments = False       # inside readers' comments: every paragraph is skipped
        in_form = False           # after a comment-form line: clutter is skipped until prose resumes
        for p in paras:
            line = ptext[p.start:p.end].strip()
            if _is_nav(line) or BOILERPLATE.match(line) or (p.index == meta.get("date_para")):
                skip.add(p.index)
            if _COMMENTS_FOLLOW.match(line):
                in_comments, in_form = True, False
                skip.add(p.index)
                continue
            if _COMMENT_FORM.match(line):
                in_comments, in_form = False, True
                skip.add(p.index)
                continue
            if in_comments and _is_post_header(line):
                in_comments = False          # the next post's dated header: its text is the author's again
            if in_comments:
                skip.add(p.index)
            elif in_form:
                if _is_prose(line):
                    in_form = False
                else:
                    skip.add(p.index)
        return skip

    # -- mentions in a span -----------------------------------------------------------------------------
    def _in(self, s: int, e: int) -> list[Mention]:
        from bisect import bisect_left
        i = bisect_left(self._mention_starts, s)
        out = []
        while i < len(self._mentions) and self._mentions[i].start < e:
            if self._mentions[i].end <= e:
                out.append(self._mentions[i])
            i += 1
        return out

    def _before(self, pos: int, limit: int | None = None, count: int = 50) -> list[Mention]:
        """Up to `count` mentions ending before pos (nearest first), none starting before limit."""
        from bisect import bisect_left
        limit = max(0, pos - 3000) if limit is None else limit
        i = bisect_left(self._mention_starts, pos)
        out = []
        j = i - 1
        while j >= 0 and self._mentions[j].start >= limit and len(out) < count:
            if self._mentions[j].end <= pos:
                out.append(self._mentions[j])
            j -= 1
        return out

    # -- quotations and their speakers ------------------------------------------------------------------
    def _attribute_quotes(self, text: str, ptext: str, paras: list[Paragraph], quotes: list[Quote]) -> None:
        last: Speaker | None = None
        last_para = -10
        self._last_person: Mention | None = None
        for q in quotes:
            inner = ptext[q.start + 1:max(q.start + 1, q.end - 1)]
            words = len(inner.split())
            first, lastp = paras[q.first_para], paras[q.last_para]
            speaker = None
            after = ptext[q.end:lastp.end]
            m = _AFTER_QUOTE.match(after)
            if m:
                speaker = self._speaker_from(q.end + m.start("np"), q.end + m.end("np"), ptext, from_start=True)
            if speaker is None:
                m = _AFTER_QUOTE_INV.match(after)
                if m:
                    speaker = self._speaker_from(q.end + m.start("np"), q.end + m.end("np"), ptext)
            if speaker is None:
                before_start = first.start
                if q.start == first.start and q.first_para > 0 and ptext[paras[q.first_para - 1].end - 1] == ":":
                    before_start = paras[q.first_para - 1].start
                    before = ptext[before_start:paras[q.first_para - 1].end]
                    base = before_start
                else:
                    before = ptext[before_start:q.start]
                    base = before_start
                tail = before[-100:]
                m = _BEFORE_QUOTE.search(tail)
                if m:
                    offset = base + max(0, len(before) - 100)
                    np_start = 0
                    for b in _NP_START.finditer(tail, 0, m.start()):
                        np_start = b.end()
                    if m.start() - np_start >= 1:
                        speaker = self._speaker_from(offset + np_start, offset + m.start(), ptext)
            if speaker is None and q.last_para + 1 < len(paras) and q.start == first.start:
                nxt = paras[q.last_para + 1]
                line = ptext[nxt.start:nxt.end]
                if len(line.split()) <= 5 and not re.search(r"[.!?:]$", line.strip()):
                    inside = [m for m in self._in(nxt.start, nxt.end) if m.kind == "person"]
                    if inside:
                        speaker = Speaker(inside[0].label, inside[0].iri, "person", inside[0])
                    elif re.fullmatch(rf"(?:{HONORIFICS}\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}}", line.strip()):
                        speaker = Speaker(line.strip(), None, "person")
            if speaker is None and last is not None and q.first_para - last_para <= 1 and words >= 5:
                speaker = last           # a quotation continued by the same speaker
            if speaker is None and words < 5:
                q.scare = True
            q.speaker = speaker
            if speaker is not None:
                last, last_para = speaker, q.last_para

    def _speaker_from(self, s: int, e: int, ptext: str, from_start: bool = False) -> Speaker | None:
        """Who an attribution's noun phrase names: the last person in it, else a body, else a pronoun's
        referent, else a new person named by the phrase itself."""
        np_text = ptext[s:e]
        # keep to the noun phrase: stop at a clause break
        cut = re.search(r"\s(?:who|which|that|during|in|at|on|when|because|after|before|as|to)\s", np_text) if from_start else None
        if cut:
            e = s + cut.start()
            np_text = ptext[s:e]
        if not from_start:
            cut = None
            for c in re.finditer(r",\s|\b(?:as|and|but|recall|recalls|remember|when)\s", np_text):
                cut = c
            if cut:
                s = s + cut.end()
                np_text = ptext[s:e]
        inside = self._in(s, e)
        people = [m for m in inside if m.kind == "person"]
        if people:
            p = people[-1]
            self._last_person = p
            return Speaker(p.label, p.iri, "person", p)
        bodies = [m for m in inside if m.kind == "body" and m.type not in ("GovernmentBody",) or
                  (m.kind == "body" and m.iri)]
        words = np_text.split()
        if bodies and (len(words) <= 6 or bodies[-1].end >= e - 2):
            b = bodies[-1]
            return Speaker(b.label, b.iri, "body", b)
        stripped = np_text.strip(" ,")
        if _PRONOUN.match(stripped):
            prior = [m for m in self._before(s) if m.kind == "person"]
            if prior:
                return Speaker(prior[0].label, prior[0].iri, "person", prior[0])
            return None
        if _FIRST.match(stripped):
            return Speaker(self._author_label, self._author_iri, "author")
        if 1 <= len(words) <= 7 and not re.search(r"[()]", stripped):
            label = re.sub(r"^(?:as|and|but|so|then)\s+", "", stripped, flags=re.I)
            label = re.sub(rf"^{HONORIFICS}\.?\s+", "", label)
            if label and label.split()[0].lower() not in ("it", "this", "that", "there", "they", "which", "what"):
                return Speaker(label, None, "person")
        return None

    # -- claims -----------------------------------------------------------------------------------------
    def _claims(self, text, ptext, paras, sentences, quotes, skip, meta, commissioning) -> list[Claim]:
        claims: list[Claim] = []
        author = Speaker(self._author_label, self._author_iri, "author")
        qi = 0
        pending: Speaker | None = None
        pending_para = -1
        prev_para = -1
        title_para = meta.get("title_para")
        recent: list[Mention] = []
        for sent in sentences:
            if sent.para != prev_para:
                if prev_para >= 0 and pending is not None and pending_para not in (prev_para, sent.para - 1):
                    pending = None
                prev_para = sent.para
            if sent.para in skip:
                continue
            s, e = sent.start, sent.end
            stext = ptext[s:e]
            while qi < len(quotes) and quotes[qi].end <= s:
                qi += 1
            quote = None
            for q in quotes[qi:qi + 4]:
                overlap = min(e, q.end) - max(s, q.start)
                leads = q.start <= s + 1 and q.speaker is not None     # "“...,” said X." opens with the quotation
                if overlap > 0 and (overlap >= 0.5 * (e - s) or leads) and not q.scare and len(ptext[q.start:q.end].split()) >= 5:
                    quote = q
                    break
            in_span = self._in(s, e)
            if in_span:
                recent = [m for m in in_span if m.kind != "person"][-3:] or recent
            # a sentence that frames speech to come: not a claim itself
            if _CONTACT.search(stext) or stext.rstrip().endswith("?"):
                continue
            if quote is None and stext.rstrip().endswith(":") and len(stext.split()) <= 12:
                sp = self._reporter(s, e, ptext)
                if sp is not None:
                    pending, pending_para = sp, sent.para
                continue
            if quote is None and _FRAME.search(stext) and len(stext.split()) <= 25:
                sp = self._reporter(s, e, ptext)
                if sp is None:
                    people = [m for m in in_span if m.kind == "person"]
                    sp = Speaker(people[0].label, people[0].iri, "person", people[0]) if people else None
                if sp is not None:
                    pending, pending_para = sp, sent.para
                    continue
            words = len(stext.split())
            is_title = sent.para == title_para
            if is_title:
                if not RECOMMENDATION.search(stext) or not commissioning:
                    continue
            elif words < 4 or (words < 8 and not re.search(r"[.!]$", stext.rstrip("\"”’' "))
                               and (quote is None or quote.speaker is None)):
                continue
            elif quote is None and words < 7 and not self._in(s, e):
                continue
            if quote is not None:
                cs, ce = max(s, quote.start + 1), min(e, quote.end - 1)
                cs, ce = _trim(ptext, cs, ce)
                if ce - cs < 8:
                    continue
                speaker = quote.speaker or author
                method, confidence = ("quotation", 0.8) if quote.speaker else ("quotation-unattributed", 0.4)
                if not commissioning and not any(m.type in COMMISSIONING_CLASSES for m in in_span):
                    continue
                claims.append(self._claim(text, ptext, cs, ce, speaker, recent, method, confidence))
                continue
            # reported speech and the author's own voice
            parts = []
            for ps, pe, speaker, method in self._reported(s, e, ptext):
                if speaker is None and SPLIT_CLAUSES:
                    parts.extend((cs, ce, None, method) for cs, ce in _clauses(ptext, ps, pe))
                else:
                    parts.append((ps, pe, speaker, method))
            for ps, pe, speaker, method in parts:
                ps, pe = _trim(ptext, ps, pe)
                if pe - ps < 12:
                    continue
                ctext = ptext[ps:pe]
                if speaker is None:
                    if pending is not None and sent.para == pending_para + 1:
                        speaker, method = pending, "reported-paragraph"
                    else:
                        speaker, method = author, "author"
                if not commissioning and not any(m.type in COMMISSIONING_CLASSES for m in self._in(ps, pe)):
                    continue
                if method == "author":
                    cue = PREDICTION.search(ctext) or RECOMMENDATION.search(ctext) or CRITICISM.search(ctext) \
                        or ESTIMATE.search(ctext) or OPINION.search(ctext)
                    if not cue and not self._in(ps, pe):
                        continue
                claims.append(self._claim(text, ptext, ps, pe, speaker, recent, method,
                                          0.7 if method != "author" else 0.5))
        return claims

    def _claim(self, text, ptext, s, e, speaker: Speaker, recent, method, confidence) -> Claim:
        ctext = ptext[s:e]
        types = []
        if ESTIMATE.search(ctext) and (re.search(r"[£$€]|\bestimat|\bcost", ctext, re.I)):
            types.append("estimate")
        if RECOMMENDATION.search(ctext):
            types.append("recommendation")
        if PREDICTION.search(ctext):
            types.append("prediction")
        if CRITICISM.search(ctext):
            types.append("criticism")
        if not types or types == ["estimate"]:
            types.append("assertion")
        about = [m for m in self._in(s, e) if m.kind != "person" or m.iri != speaker.iri]
        about = [m for m in about if not (speaker.mention and m.start == speaker.mention.start)]
        if not about:
            about = list(recent[-2:])
        by_author = speaker.kind == "author"
        if speaker.mention is not None and speaker.mention.method == "anaphor":
            method, confidence = method + "+anaphor", round(confidence * 0.6, 2)
        return Claim(types[0], types, speaker.label, speaker.iri, by_author, about, s, e, text[s:e], amounts(ctext),
                     method, confidence, speaker.kind, speaker.mention.type if speaker.mention is not None else None)

    def _reporter(self, s: int, e: int, ptext: str) -> Speaker | None:
        """The subject of a reporting verb in the sentence, if it names someone."""
        for m in _REPORT.finditer(ptext, s, e):
            sp = self._subject_of(m.start(), s, ptext)
            if sp is not None:
                return sp
        return None

    def _subject_of(self, verb_start: int, sent_start: int, ptext: str) -> Speaker | None:
        # "Dr A, who chairs B CCG, said ...": the speaker is the person the relative clause describes
        relative = _RELATIVE_BEFORE_VERB.search(ptext, max(sent_start, verb_start - 160), verb_start)
        if relative:
            people = [p for p in self._before(relative.start() + 1, sent_start, 3) if p.kind == "person"
                      and re.fullmatch(r"\s*", ptext[p.end:relative.start()])]
            if people:
                self._last_person = people[0]
                return Speaker(people[0].label, people[0].iri, "person", people[0])
        for cand in self._before(verb_start, sent_start, 3):
            gap = ptext[cand.end:verb_start]
            if cand.kind == "body" and re.search(r"\b(?:from|of|at)\s+(?:the\s+)?$", ptext[max(sent_start, cand.start - 12):cand.start]):
                people = [p for p in self._before(cand.start, max(sent_start, cand.start - 60)) if p.kind == "person"]
                if people and _SUBJECT_GAP.match(gap):
                    self._last_person = people[0]
                    return Speaker(people[0].label, people[0].iri, "person", people[0])
            if _SUBJECT_GAP.match(gap) and cand.kind in ("person", "body") and (cand.iri or cand.kind == "person"
                                                                                 or cand.method in ("org-head", "anaphor", "gazetteer", "publisher-self")):
                if cand.kind == "body" and cand.type in ("GeneralPractice", "HealthcareProvider", "Hospital"):
                    return None
                if cand.kind == "person":
                    self._last_person = cand
                return Speaker(cand.label, cand.iri, cand.kind, cand)
            break
        pre = ptext[max(sent_start, verb_start - 12):verb_start]
        pm = re.search(r"\b(He|She|he|she)\s+(?:also\s+)?$", pre)
        if pm:
            prior = [m for m in self._before(verb_start - len(pm.group(0))) if m.kind == "person"]
            if prior:
                return Speaker(prior[0].label, prior[0].iri, "person", prior[0])
        pm = re.search(r"\b(I|We|we)\s+(?:also\s+)?$", pre)
        if pm:
            return Speaker(self._author_label, self._author_iri, "author")
        return None

    def _reported(self, s: int, e: int, ptext: str) -> list:
        """Split a sentence into (start, end, speaker or None, method) parts: reported speech is attributed to
        its speaker; a reporting clause after a conjunction starts a part of its own."""
        hits = []
        for n, m in enumerate(_REPORT.finditer(ptext, s, e)):
            if n >= 4:
                break
            sp = self._subject_of(m.start(), s, ptext)
            if sp is not None:
                hits.append((sp.mention.start if sp.mention else m.start(), sp, "reported"))
                break
            if _INVERTED_OK.match(m.group(0)):
                for cand in self._in(m.end(), min(e, m.end() + 60)):
                    gap = ptext[m.end():cand.start]
                    if re.fullmatch(r"\s+(?:the\s+)?(?:[A-Za-z.'-]+\s+){0,5}", gap) and cand.kind in ("person", "body") \
                            and (cand.iri or cand.kind == "person"):
                        hits.append((s, Speaker(cand.label, cand.iri, cand.kind, cand), "reported"))
                        break
                if hits:
                    break
        if not hits:
            for regex in (_ACCORDING, _SOURCE_BY, _TALK_IN):
                m = regex.search(ptext, s, e)
                if m:
                    for cand in self._in(m.end(), min(e, m.end() + 80))[:1]:
                        gap = ptext[m.end():cand.start]
                        if re.fullmatch(r"\s*(?:the\s+|a\s+|this\s+)?(?:[A-Za-z-]+\s+){0,2}", gap) and cand.kind in ("person", "body") \
                                and cand.type not in ("GeneralPractice", "HealthcareProvider"):
                            hits.append((s, Speaker(cand.label, cand.iri, cand.kind, cand), "reported"))
                    if not hits and regex is _ACCORDING:
                        named = _NAMED_SOURCE.match(ptext, m.end(), e)
                        if named and named.group("n").split()[0].lower() not in _NOT_NAME:
                            label = " ".join(named.group("n").split())
                            is_body = bool(_ORG_WORD.search(label)) or len(label.split()) > 3
                            cls = ("HealthBody" if re.search(r"\b(?:NHS|Health|Care|Medical|Clinical)\b", label)
                                   else "CampaignBody") if is_body else "Person"
                            mention = Mention(m.end() + named.start("n") - named.start(), m.end() + named.end("n") - named.start(),
                                              label, cls, None, label, "body" if is_body else "person", "according-to", 0.4)
                            hits.append((s, Speaker(label, None, mention.kind, mention), "reported"))
                    if hits:
                        break
        if not hits:
            return [(s, e, None, "author")]
        at, speaker, method = hits[0]
        if speaker.kind == "author":
            return [(s, e, None, "author")]
        if at > s + 25:
            conj = None
            for c in re.finditer(r",?\s+(?:and|but|while|whereas)\s+|;\s+", ptext[s:at]):
                conj = c
            if conj is not None and s + conj.end() >= at - 40 and not _REPORT.search(ptext, s, s + conj.start()):
                return [(s, s + conj.start(), None, "author"), (s + conj.end(), e, speaker, method)]
        return [(s, e, speaker, method)]

    # -- changes and oversight --------------------------------------------------------------------------
    def _relations(self, text, ptext, sentences, skip, doc_date):
        changes, oversight = [], []
        prev_bodies: list[Mention] = []
        for k, sent in enumerate(sentences):
            if sent.para in skip:
                continue
            s, e = sent.start, sent.end
            stext = ptext[s:e]
            bodies = [m for m in self._in(s, e) if m.kind in ("body", "type")]
            lower = stext.lower()
            if any(stem in lower for stem in _CUE_STEMS):
                for change in self._changes_in(text, ptext, s, e, bodies, prev_bodies, doc_date, sentences, k):
                    changes.append(change)
                for rel in self._oversight_in(text, ptext, s, e, bodies):
                    oversight.append(rel)
            if bodies:
                prev_bodies = bodies
        # a transfer into a region puts the body under that region's oversight
        for c in changes:
            if c.kind == "transfer" and c.into is not None and c.sources:
                oversight.append(Oversight("oversees", c.status, c.into, c.sources[0], c.start, c.end, c.text,
                                           "transfer-implies-oversight", 0.4))
        return _dedupe(changes), _dedupe(oversight)

    def _changes_in(self, text, ptext, s, e, bodies, prev_bodies, doc_date, sentences, k):
        stext = ptext[s:e]
        found = {}
        lower = stext.lower()
        for kind, regex, stems in CHANGE_CUES:
            if not any(stem in lower for stem in stems):
                continue
            for n, m in enumerate(regex.finditer(stext)):
                if kind in found or n >= 4:
                    break
                cs, ce = s + m.start(), s + m.end()
                left, right = _clause_bounds(ptext, s, e, cs, ce)
                before = [b for b in bodies if b.end <= cs and b.start >= left]
                after = [b for b in bodies if b.start >= ce and b.end <= right]
                sources, into = [], None
                if re.search(r"\b(?:any|every|each|no)\s+$", ptext[max(s, cs - 8):cs], re.I):
                    continue    # "any merger of CCGs": changes in general, none in particular
                if kind in ("merger", "split", "abolition") and re.search(
                        r"\b(?:the|this|that|a|any|such)\s+$", ptext[max(s, cs - 8):cs], re.I) and not re.match(
                        r"\s+(?:of|with|between|into)\b", ptext[ce:ce + 10]):
                    continue    # "the merger", "this abolition": a change already reported, referred to again
                if kind in ("merger", "split"):
                    sources = _coordinated(before, ptext, reverse=True)
                    with_ = re.match(r"\s+(?:with|and)\s+(?:the\s+|a\s+|an\s+)?", ptext[ce:ce + 40])
                    into_m = re.match(r"\s+(?:[\w,]+\s+){0,5}?(?:into|to form|to become|as|creating|forming)\s+", ptext[ce:ce + 70])
                    if re.search(r"\b(?:into|by|form)$", m.group(0), re.I) and after and after[0].start <= ce + 25:
                        into = after[0]          # "absorbed into X", "folded into X", "combine to form X"
                    elif into_m and after and after[0].start <= ce + into_m.end() + 25:
                        into = after[0]
                    elif with_ and after and after[0].start <= ce + with_.end() + 30:
                        if "forces" in m.group(0).lower():
                            into = after[0]
                        else:
                            sources = sources + [after[0]]
                    elif after and re.match(r"\s+of\s+", ptext[ce:ce + 10]) and re.fullmatch(r"(?i)merger|mergers|amalgamation|split|demerger", m.group(0)):
                        sources = _coordinated(after, ptext)     # "the merger of A and B": the parties follow
                    sources = [x for x in sources if x.type not in _NOT_PARTIES]
                    if not sources:
                        if not re.search(r"merg|amalgam|join", m.group(0), re.I):
                            continue
                        sources = [x for x in prev_bodies if x.type not in _NOT_PARTIES][-1:]
                    if into is not None and any(x is into or (x.iri and x.iri == into.iri) or x.label == into.label
                                                for x in sources):
                        sources = [x for x in sources if not (x is into or (x.iri and x.iri == into.iri) or x.label == into.label)]
                        if not sources:
                            sources, into = [into], None
                elif kind in ("abolition",):
                    participle = re.fullmatch(r"abolished|scrapped|disbanded|axed|dissolved|wound up", m.group(0), re.I)
                    passive = participle and (
                        re.search(r"\b(?:was|were|been|be|being|is|are|get|got)\s+(?:\w+\s+){0,2}$", ptext[max(s, cs - 30):cs], re.I)
                        or re.match(r"\s*(?:in|on|by|from|last|this|at)\b|\s*[.,;]|\s*$", ptext[ce:ce + 8]))
                    if passive and before and before[-1].end >= cs - 60:
                        sources = _coordinated(before, ptext, reverse=True)
                    elif not passive and after and after[0].start <= ce + 40:
                        sources = _coordinated(after, ptext)
                    sources = [x for x in sources if x.type not in _NOT_PARTIES]
                    if not sources:
                        continue
                    # "... abolition of X. In their place will come Y": a replacement
                    if k + 1 < len(sentences):
                        nxt = sentences[k + 1]
                        nm = re.match(r"\W*(?:in (?:their|its) place|(?:they|it|these|this) (?:will|would|are to|is to|were|was|are|is|have been|has been)?\s*(?:be\s+)?(?:being\s+)?(?:replaced|succeeded) by)\b",
                                      ptext[nxt.start:nxt.end], re.I)
                        if nm:
                            kind = "replacement"
                            later = [b for b in self._in(nxt.start, nxt.end) if b.kind in ("body", "type")]
                            into = later[0] if later else None
                elif kind == "replacement":
                    if m.group(0).lower().startswith("in "):      # "in their place"
                        if not after:
                            continue
                        into = after[0]
                        sources = prev_bodies[-1:]
                        if k > 0 and _CUES_ABOLITION.search(ptext[sentences[k - 1].start:sentences[k - 1].end]):
                            continue   # already reported with the abolition it completes
                    elif re.search(r"by$", m.group(0)):
                        sources = before[-1:] if before else []
                        into = after[0] if after else None
                    else:
                        into = before[-1] if before else None
                        sources = after[:1]
                    if into is None and not sources:
                        continue
                elif kind == "establishment":
                    if m.group(0).lower().startswith(("advent", "introduction", "creation", "launch", "establishment",
                                                      "setting up", "formation", "arrival", "birth")):
                        if not after or after[0].start > ce + 30:
                            continue
                        into = after[0]
                    elif re.search(r"\bnew\b", m.group(0), re.I):
                        into = after[0] if after and after[0].start <= ce + 30 else None
                        if into is None:
                            nm = re.match(r"\s*((?:[\w-]+\s+){0,3}?(?:school|trust|body|organisation|board|group|authority|"
                                          r"partnership|unit|hub|service|network|senate|committee|council|consortium|"
                                          r"CCG|ICB|STP|ICS|CSU|system|team|office|region|practice|hospital)s?)\b",
                                          ptext[ce:ce + 60], re.I)
                            into = Mention(ce, ce + nm.end(1), text[ce:ce + nm.end(1)], "HealthBody", None,
                                           nm.group(1), "body", "new-body", 0.3) if nm else None
                    elif "merger" in found and re.match(r"form|creat", m.group(0), re.I):
                        continue     # "... merge to form X": the merger says it
                    elif after and after[0].start <= ce + 30 and not re.search(r"(?:was|were|been|be|being)\s+\w+$", m.group(0)):
                        into = after[0]
                    elif before and before[-1].end >= cs - 25 and (
                            re.match(r"(?:was|were|been|be|being)\s", m.group(0), re.I)
                            or re.fullmatch(r"\s*(?:(?:was|were|been|be|being|is|are|has been|have been)\s+)?", ptext[before[-1].end:cs])):
                        into = before[-1]
                    else:
                        continue
                    if into is None or into.type in ("GeneralPractice", "HealthcareProvider", "Person") or into.kind == "person":
                        continue
                elif kind == "change-of-type":
                    target = after[0] if after and after[0].start <= ce + 25 else None
                    if target is None:
                        # "became a care trust", "were rammed into 'Trusts'": a kind of body named by its head noun
                        hm = None
                        for n in range(3):
                            hm = re.match(rf"\s+(?:an?\s+|the\s+)?['‘\"“]?(?P<h>(?:[A-Za-z-]+\s+){{{n}}}(?P<w>[A-Za-z]+))['’\"”]?(?=\W|$)",
                                          ptext[ce:ce + 50])
                            if hm and hm.group("w").lower().rstrip("s") in _TYPE_HEADS:
                                break
                            hm = None
                        if hm is None:
                            continue
                        into = Mention(ce + hm.start("h"), ce + hm.end("h"), text[ce + hm.start("h"):ce + hm.end("h")],
                                       "HealthBody", None, hm.group("h"), "type", "type-head", 0.3)
                    else:
                        into = target
                    if before:
                        sources = [before[-1]]
                    else:
                        hm = re.search(r"['‘\"“]?(?P<h>[A-Z]?[a-z]+s)['’\"”]?\s+(?:were|was|are|is|have been|had been)\s*$",
                                       ptext[max(s, cs - 40):cs])
                        if hm and hm.group("h").lower().rstrip("s") in _TYPE_HEADS:
                            off = max(s, cs - 40)
                            sources = [Mention(off + hm.start("h"), off + hm.end("h"), text[off + hm.start("h"):off + hm.end("h")],
                                               "HealthBody", None, hm.group("h"), "type", "type-head", 0.3)]
                        elif prev_bodies:
                            sources = prev_bodies[-1:]
                    if into in sources:
                        continue
                elif kind == "transfer":
                    target = next((b for b in after if b.start <= ce + 30), None)
                    if target is None:
                        continue
                    if target.type not in ("NHSEnglandRegion", "NHSEnglandAreaTeam", "SustainabilityAndTransformationPartnership",
                                           "IntegratedCareBoard", "IntegratedCareSystem", "StrategicHealthAuthority") \
                            and not re.match(r"[^.]{0,40}\bregion", ptext[target.start:target.end + 20], re.I):
                        continue
                    into = target
                    if before:
                        sources = [before[-1]]
                    else:
                        named = _proper_before(ptext, max(s, cs - 80), cs)
                        sources = [Mention(named[0], named[1], text[named[0]:named[1]], "HealthBody", None,
                                           " ".join(ptext[named[0]:named[1]].split()), "body", "name-before-cue", 0.3)] if named else []
                    if not sources or sources[0] is into:
                        continue
                elif kind == "renaming":
                    sources = [before[-1]] if before else after[:1]
                    into = after[0] if after and after[0] not in sources else None
                    if not sources:
                        continue
                if not sources and into is None:
                    continue
                parts = sources + ([into] if into else [])
                span_s = min([cs] + [p.start for p in parts if p.start >= s])
                span_e = max([ce] + [p.end for p in parts if p.end <= e])
                span_s, span_e = _trim(ptext, span_s, span_e)
                status = change_status(stext, m.start(), m.end())
                date = resolve_date(stext, doc_date, m.start())
                anaphoric = any(x.method == "anaphor" for x in parts)
                found[kind] = Change(kind, status, sources, into, date, span_s, span_e, text[span_s:span_e],
                                     "rule:" + kind + ("+anaphor" if anaphoric else ""),
                                     (0.6 if sources or into else 0.4) * (0.6 if anaphoric else 1))
        if "replacement" in found and "abolition" in found:
            gone, repl = found.pop("abolition"), found["replacement"]
            if gone.sources:
                repl.sources = gone.sources
            start, end = min(gone.start, repl.start), max(gone.end, repl.end)
            repl.start, repl.end, repl.text = start, end, text[start:end]
        return list(found.values())

    def _oversight_in(self, text, ptext, s, e, bodies):
        stext = ptext[s:e]
        out = []
        used = []
        lower = stext.lower()
        for kind, regex, direction, stems in OVERSIGHT_CUES:
            if not any(stem in lower for stem in stems):
                continue
            for n, m in enumerate(regex.finditer(stext)):
                if n >= 4:
                    break
                cs, ce = s + m.start(), s + m.end()
                if any(a < ce and cs < b for a, b in used):
                    continue
                left, right = _clause_bounds(ptext, s, e, cs, ce)
                before = [b for b in bodies if b.end <= cs and b.start >= left]
                after = [b for b in bodies if b.start >= ce and b.end <= right]
                overseers, overseen = [], []
                tail = ptext[ce:ce + 40]
                by = re.match(r"['’\"”]?\s+by\s+(?:the\s+)?", tail)
                if direction == "passive" or by:
                    if by and after and after[0].start <= ce + by.end() + 20:
                        overseers = [after[0]]
                        overseen = _coordinated(before, ptext, reverse=True) if before else []
                    elif direction == "passive":
                        continue
                    else:
                        overseers = before[-1:]
                        overseen = _coordinated(after, ptext)[:4] if after else []
                elif direction == "of":          # "at the beck and call of A, B and C", "accountable to A"
                    overseers = _coordinated(after, ptext)[:4] if after else []
                    overseen = [before[-1]] if before else []
                    if not overseers:
                        continue
                elif direction == "adjective":    # "X should be only advisory", "X with devolved budgets"
                    overseen_side = before[-1:] if before else []
                    if kind in ("advises", "authorises"):
                        overseers, overseen = overseen_side, []
                    else:
                        overseen = overseen_side
                        first = [b for b in before if b.kind == "body" and b.iri and not
                                 (overseen_side and (b is overseen_side[0] or b.iri == overseen_side[0].iri))]
                        overseers = first[:1]
                    if not overseers and not overseen:
                        continue
                elif direction == "noun":          # "the GMC approval process", "performance management"
                    adj = [b for b in before if b.end >= cs - 2]
                    frm = re.match(r"\s+(?:from|by)\s+(?:the\s+)?", ptext[ce:ce + 20])
                    if frm and after and after[0].start <= ce + frm.end() + 2:
                        overseers, overseen = [after[0]], before[-1:]
                    elif adj:
                        overseers = adj[-1:]
                        if re.search(r"manag(?:es|e|ing)$", m.group(0)) and after and after[0].start <= ce + 20:
                            overseen = after[:1]      # "NHS England performance manages the CCGs"
                    else:
                        overseers = before[-1:]
                        overseen = after[:1]
                    if not overseers and not overseen:
                        continue
                else:                              # active: X hosts / regulates / delegates to / refers back to Y
                    overseers = before[-1:]
                    back = re.search(r"\b(?:back\s+)?to\s+(?:the\s+)?", ptext[ce:ce + 30])
                    overseen = _coordinated(after, ptext)[:4] if after else []
                    if not overseers and not overseen:
                        continue
                    if not overseen and back is None and kind not in ("regulates",):
                        continue
                status = change_status(stext, m.start(), m.end())
                used.append((cs, ce))
                pairs = [(a, b) for a in (overseers or [None]) for b in (overseen or [None]) if a is not b]
                for a, b in pairs:
                    if a is not None and b is not None and a.iri and a.iri == b.iri:
                        continue
                    parts = [p for p in (a, b) if p is not None]
                    span_s = min([cs] + [p.start for p in parts])
                    span_e = max([ce] + [p.end for p in parts])
                    span_s, span_e = _trim(ptext, span_s, span_e)
                    anaphoric = any(x.method == "anaphor" for x in parts)
                    out.append(Oversight(kind, status, a, b, span_s, span_e, text[span_s:span_e],
                                         "rule:" + kind + ("+anaphor" if anaphoric else ""),
                                         (0.6 if a is not None and b is not None else 0.4) * (0.6 if anaphoric else 1)))
                break
        return out


class _Spans:
    """Mentions already found, for overlap tests (few per paragraph, so a sorted list serves)."""

    def __init__(self, mentions):
        self.items = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.items]

    def overlaps(self, s, e) -> bool:
        return bool(self.inside(s, e, any_overlap=True))

    def inside(self, s, e, any_overlap=False):
        from bisect import bisect_left
        i = max(0, bisect_left(self.starts, s) - 3)
        out = []
        while i < len(self.items) and self.items[i].start < e:
            m = self.items[i]
            if m.end > s:
                out.append(m)
            i += 1
        return out

    def add(self, m):
        from bisect import bisect_left
        i = bisect_left(self.starts, m.start)
        self.items.insert(i, m)
        self.starts.insert(i, m.start)

    def remove(self, ms):
        for m in ms:
            i = self.items.index(m)
            del self.items[i]
            del self.starts[i]


SPLIT_CLAUSES = True
_CLAUSE = re.compile(r",\s+but\s+|,\s+and\s+(?=(?:they|we|I|it|he|she|there|this|its|their|our|as|so)\b)|;\s+|\s+[–—-]\s+")


def _clauses(ptext: str, s: int, e: int) -> list[tuple[int, int]]:
    """A sentence of the author's cut where a new clause with a subject of its own begins (", but", ", and
    they", "; ", a spaced dash), when both sides have six words or more: each may be a claim of its own."""
    cuts = []
    last = s
    for m in _CLAUSE.finditer(ptext, s, e):
        left, right = ptext[last:m.start()], ptext[m.end():e]
        if len(left.split()) >= 6 and len(right.split()) >= 6:
            cuts.append((last, m.start()))
            last = m.end()
    cuts.append((last, e))
    return cuts


_CLAUSE_CUT = re.compile(r";\s|,\s+(?:and|but)\s+|\s+[-–—]+\s+")
_NOT_PARTIES = {"Person", "MediaOrganisation", "CampaignBody", "University", "GeneralPractice", "HealthcareProvider"}


def _clause_bounds(ptext: str, s: int, e: int, cs: int, ce: int) -> tuple[int, int]:
    """The clause around a cue: from the last clause break before it to the first after it."""
    left = s
    for m in _CLAUSE_CUT.finditer(ptext, s, cs):
        left = m.end()
    m = _CLAUSE_CUT.search(ptext, ce, e)
    return left, (m.start() if m else e)


def _proper_before(ptext: str, s: int, e: int):
    """The nearest capitalised name of two words or more before a cue ("West Cheshire moved ..."), else of one."""
    found = [m for m in re.finditer(r"\b(?:[A-Z][\w'-]+)(?:\s+(?:and\s+|of\s+)?[A-Z][\w'-]+)*", ptext[s:e])
             if m.group(0).split()[0].lower() not in _NOT_NAME and m.group(0).split()[0] not in MONTHS]
    multi = [m for m in found if len(m.group(0).split()) >= 2]
    best = (multi or found or [None])[-1]
    return (s + best.start(), s + best.end()) if best else None


def _trim(ptext: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (ptext[s].isspace() or ptext[s] in "\"“”'‘’`(,;:-–—…."):
        if ptext[s] == "(" and ")" in ptext[s:e]:
            break
        s += 1
    while e > s and (ptext[e - 1].isspace() or ptext[e - 1] in "\"“”,;:-–—`"):
        e -= 1
    if e > s and ptext[e - 1] in "'’" and ptext[s:e].count("'") + ptext[s:e].count("’") + ptext[s:e].count("‘") % 2 == 1 \
            and not re.search(r"\w[’']\w*$", ptext[max(s, e - 3):e]):
        e -= 1
    if e > s and ptext[e - 1] == ")" and "(" not in ptext[s:e]:
        e -= 1
    return s, e


def _coordinated(mentions: list[Mention], ptext: str, reverse: bool = False) -> list[Mention]:
    """The mentions that form one coordinated list ("A, B and C") at the start of `mentions` (or, with
    reverse, at its end), parenthetical asides allowed between them."""
    if not mentions:
        return []
    seq = list(reversed(mentions)) if reverse else list(mentions)
    out = [seq[0]]
    for m in seq[1:]:
        a, b = (m, out[-1]) if reverse else (out[-1], m)
        gap = re.sub(r"\([^()]*\)", "", ptext[a.end:b.start])
        if re.fullmatch(r"\s*(?:,|and|or|&|, and|, or)?\s*(?:the\s+|a\s+)?", gap) and gap.strip():
            out.append(m)
        elif re.fullmatch(r"\s*,\s*(?:the\s+)?", gap):
            out.append(m)
        else:
            break
    out = [m for m in out if m.kind in ("body", "type")]
    return list(reversed(out)) if reverse else out


def _dedupe(items):
    seen, out = set(), []
    for item in items:
        key = (item.kind, item.start, item.end,
               getattr(item, "overseer", None) and item.overseer.label, getattr(item, "overseen", None) and item.overseen.label)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


_TYPE_HEADS = {"trust", "group", "board", "consortium", "consortia", "body", "bodie", "organisation", "authority",
               "authoritie", "partnership", "council", "unit", "team", "committee", "senate", "network", "ccg", "pct"}
_CUES_ABOLITION = re.compile(r"\b(?:abolish\w*|abolition|scrap(?:ped|ping|s)?|disband\w*|wound up|winding up|"
                             r"cease[sd]? to exist|axed|axing|dissolv\w*|dissolution)\b", re.I)
CHANGE_CUES = [
    # kind, cue, stems of which one must occur for the cue to be tried (cheap test first)
    ("merger", re.compile(r"\b(?:merg(?:e|es|ed|ing|er|ers)|amalgamat\w*|join(?:s|ed|ing)? forces|"
                          r"combin(?:e|es|ed|ing) (?:to form|into)|clustered|clustering|clusters? of|fold(?:ed|ing)? into|"
                          r"coalesc\w*|absorbed (?:into|by))\b", re.I),
     ("merg", "amalgam", "forces", "combin", "cluster", "fold", "coalesc", "absorb")),
    ("split", re.compile(r"\b(?:split (?:into|up)|demerg\w*|broken up into|broke up into|divided into)\b", re.I),
     ("split", "demerg", "broke", "divided")),
    ("abolition", _CUES_ABOLITION,
     ("abolish", "abolition", "scrap", "disband", "wound up", "winding up", "cease", "axed", "axing", "dissol")),
    ("replacement", re.compile(r"\b(?:replac(?:e|es|ed|ing|ement)(?: by)?|succeeded by|successors? to|"
                               r"in (?:their|its) place|took over from|take over from|taking over from)\b", re.I),
     ("replac", "succeeded", "successor", "place", "took over", "take over", "taking over")),
    ("establishment", re.compile(r"\b(?:creat(?:e|es|ed|ing)|establish(?:es|ed|ing)?|set(?:ting)? up|"
                                 r"(?:was|were|been|be|being) (?:created|established|set up|formed|launched|introduced)|"
                                 r"form(?:ed|ing)? (?=the |a |an )|launch(?:es|ed|ing)?|introduc(?:e|es|ed|ing)|"
                                 r"advent of|introduction of|creation of|launch of|establishment of|setting up of|"
                                 r"formation of|arrival of|birth of|came into (?:being|existence)|"
                                 r"(?:plans?|proposals?|planning|intends?|intention) (?:for|to (?:create|establish|set up|open|launch|form)) (?:a |an |the )?new)\b", re.I),
     ("creat", "establish", "set up", "setting up", "form", "launch", "introduc", "advent", "arrival", "birth",
      "came into", "new")),
    ("change-of-type", re.compile(r"\b(?:bec(?:ame|ome|omes|oming)|(?:turned|converted|rammed|transformed|made|forced|"
                                  r"reconstituted|re-?formed) (?:in)?to|reconstituted as)\b", re.I),
     ("becam", "becom", "into", "reconstituted")),
    ("transfer", re.compile(r"\b(?:mov(?:e|ed|es|ing) (?:in)?to|transferr?(?:ed|ing|s)? (?:in)?to|joined|join(?:s|ing)?|"
                            r"bec(?:ame|ome|omes|oming) part of|realign(?:ed|ing)? (?:with|to))\b(?! forces)", re.I),
     ("move", "moving", "transfer", "join", "becam", "becom", "realign")),
    ("renaming", re.compile(r"\b(?:renam(?:e|es|ed|ing)|re-?branded|now (?:known|called) as)\b", re.I),
     ("renam", "brand", "known as", "called as")),
]
OVERSIGHT_CUES = [
    ("authorises", re.compile(r"\bnot authori[sz]ing\b", re.I), "adjective", ('not authori',)),
    ("hosts", re.compile(r"(?<!a )(?<!host of )\bhost(?:s|ed|ing)?\b(?! of)", re.I), "active", ('host',)),
    ("authorises", re.compile(r"\b(?:authori[sz](?:e|es|ed|ing|ation)|approv(?:e|es|ed|ing)|licen[cs](?:e|es|ed|ing)|"
                              r"accredit(?:s|ed|ing|ation)?)\b", re.I), "active", ('authori', 'approv', 'licen', 'accredit')),
    ("authorises", re.compile(r"\b(?:approval|authori[sz]ation|licen[cs]e|accreditation)\b", re.I), "noun", ('approval', 'authori', 'licen', 'accredit')),
    ("advises", re.compile(r"\badvisory\b", re.I), "adjective", ('advisory',)),
    ("performance-manages", re.compile(r"\bperformance (?:\w+ ){0,2}(?:managed|monitored|assessed) by\b", re.I), "passive", ('performance',)),
    ("performance-manages", re.compile(r"\bperformance[- ]manag\w*", re.I), "noun", ('performance',)),
    ("regulates", re.compile(r"\bregulat(?:e|es|ed|ing)\b", re.I), "active", ('regulat',)),
    ("may-refer-plans-back-to", re.compile(r"\b(?:refer(?:s|red|ring)?|send(?:s|ing)?|sent) (?:\w+ ){0,3}back to\b", re.I), "active", ('back to',)),
    ("delegates-to", re.compile(r"\b(?:delegat|devolv)(?:e|es|ed|ing) (?:[\w-]+ ){0,5}to\b(?! (?:be|have|take|do|make)\b)", re.I), "active", ('delegat', 'devolv')),
    ("delegates-to", re.compile(r"\b(?:delegated|devolved) (?:\w+ )?(?:powers|budgets?|responsibilit\w+|functions|"
                                r"commissioning|authority|decisions)\b", re.I), "adjective", ('delegated', 'devolved')),
    ("commissions-from", re.compile(r"\b(?:commission(?:s|ed|ing)? (?:\w+ ){0,3}from|contract(?:s|ed|ing)? with|"
                                    r"buy(?:s|ing)? (?:\w+ ){0,2}from|purchas(?:e|es|ed|ing) (?:\w+ ){0,2}from|"
                                    r"negotiat(?:e|es|ed|ing) with)\b", re.I), "active", ('commission', 'contract', 'buy', 'purchas', 'negotiat')),
    ("oversees", re.compile(r"\b(?:at the beck and call of|accountable to|answerable to|report(?:s|ing)? to|"
                            r"under the (?:control|direction|supervision|thumb) of|held to account by|"
                            r"subject to (?:the )?(?:scrutiny|oversight) of)\b", re.I), "of", ('beck and call', 'accountable to', 'answerable to', 'report', 'under the', 'held to account', 'subject to')),
    ("oversees", re.compile(r"\b(?:oversee(?:s|ing)?|oversaw|quality[- ]assur(?:e|es|ed|ing)|scrutinis(?:e|es|ed|ing)|"
                            r"hold(?:s|ing)? (?:\w+ ){0,2}to account)\b", re.I), "active", ('oversee', 'oversaw', 'quality', 'scrutinis', 'to account')),
]
_CUE_STEMS = tuple(sorted({stem for *_, stems in CHANGE_CUES + OVERSIGHT_CUES for stem in stems}))

_NEG = re.compile(r"\b(?:not|never|no longer|rejected|ruled out|abandon\w*|won't|will not|refused|instead of)\s+(?:\w+\s+){0,2}$", re.I)
_PROPOSED = re.compile(r"\b(?:propos\w*|suggest\w*|consult\w*|would|could|might|if|talk of|idea|consider\w*|option|"
                       r"should|easier|wishes|wish|want\w*|encourag\w*)\b", re.I)
_PLANNED = re.compile(r"\b(?:plan\w*|to be|is to|are to|due to|intend\w*|intention|going to|set to|hope to|hopes? to|"
                      r"aim\w* to|scheduled|from (?:next )?april|next (?:year|month|april)|will come|promise\w*)\b", re.I)
_PREDICTED = re.compile(r"\b(?:will|won't|shall|likely|unlikely|probably|expect\w*|predict\w*|over time|eventually|"
                        r"inevitabl\w*|bound to|in time|sooner or later|forced)\b", re.I)


_SET_MONTH = re.compile(rf"\b(?:next|this|in|from|by|on)\s+{_MONTH}(?=\s|[.,;]|$)")
_AUX_MODAL = re.compile(r"\b(?:would|could|might|may|should|wish(?:es)? to|want(?:s)? to)\s+(?:[\w'’]+\s+){0,3}['‘’\"“]?$", re.I)
_AUX_PLAN = re.compile(r"\b(?:to be|is to|are to|plans? to|planned to|planning to|due to|set to|intends? to|going to|"
                       r"hopes? to|aims? to|agreed to|agrees? to|voted to|votes? to|decided to|decides? to)\s+(?:[\w'’]+\s+){0,3}['‘’\"“]?$", re.I)
_AUX_FUTURE = re.compile(r"\b(?:will|shall|won't)\s+(?:[\w'’]+\s+){0,3}['‘’\"“]?$", re.I)
_AUX_PAST = re.compile(r"\b(?:has|have|had|was|were|been|did)\s+(?:[\w'’]+\s+){0,3}$", re.I)
_PAST_CUE = re.compile(r"^(?:\w+ed|became|joined|left|set up|made|took over|forced|rammed)\b", re.I)


def change_status(stext: str, cue_start: int, cue_end: int) -> str:
    """done, planned, proposed, predicted or rejected: from the words that govern the cue (a negation, a
    modal, a plan, a future, a past tense), else from the sentence as a whole."""
    before = stext[max(0, cue_start - 40):cue_start]
    cue = stext[cue_start:cue_end]
    if _NEG.search(before):
        return "rejected"
    if _AUX_MODAL.search(before):
        return "proposed"
    if _AUX_PLAN.search(before):
        return "proposed" if re.search(r"propos", stext, re.I) else "planned"
    if _AUX_FUTURE.search(before):
        # a future with its date set ("will merge on 1 April 2020") is a plan, not a forecast
        return "planned" if _PLANNED.search(stext) or _DMY.search(stext) or _MY.search(stext) \
            or _SET_MONTH.search(stext) else "predicted"
    if _AUX_PAST.search(before) or _PAST_CUE.match(cue):
        return "done"
    if _PROPOSED.search(stext):
        return "proposed"
    if _PLANNED.search(stext):
        return "planned"
    if _PREDICTED.search(stext):
        return "predicted"
    return "done"


# =====================================================================================================
# Entry points
# =====================================================================================================

def extract_source(source: Source, kg_or_gazetteer=None, exclude_graphs=frozenset()) -> Extraction:
    return Extractor(load_gazetteer(kg_or_gazetteer), frozenset(exclude_graphs)).run(source)


def extract_text(text: str, kg_or_gazetteer=None, path: str = "<text>", html_input: bool = False) -> Extraction:
    """Extract from a string (offsets index it); for tests and callers that already hold the text."""
    data = text.encode("utf-8")
    analysed = mask_html(text) if html_input else text
    source = Source(Path(path), hashlib.sha256(data).hexdigest(), text, analysed, "utf-8", html_input)
    return extract_source(source, kg_or_gazetteer)


def extract_document(path, kg_or_gazetteer=None, *, encodings: tuple[str, ...] = ("utf-8",),
                     exclude_graphs=frozenset()) -> dict:
    """Extract one document file into the stable JSON form (a dict). Raises InputError naming the file if
    it cannot be read as text in one of `encodings` (by default UTF-8 only), is empty or is binary."""
    source = read_source(Path(path), encodings)
    return extract_source(source, kg_or_gazetteer, exclude_graphs).to_json()


def extract_files(paths, kg_or_gazetteer=None, encodings: tuple[str, ...] = ("utf-8", "cp1252")):
    """Extract many files; one that cannot be read is skipped with its reason and never stops the others.
    Returns (list of JSON dicts, list of (path, reason))."""
    gaz = load_gazetteer(kg_or_gazetteer)
    results, skipped = [], []
    for path in paths:
        try:
            results.append(extract_document(path, gaz, encodings=encodings))
        except InputError as error:
            skipped.append((str(path), error.problem))
    return results, skipped


def to_json_text(results) -> str:
    """The JSON the `extract` command prints: one object per document in a list, keys in a stable order."""
    return json.dumps(results if isinstance(results, list) else [results], ensure_ascii=False, indent=2)


# =====================================================================================================
# Turtle: what was found, in the document's own named graph, with method, confidence and span
# =====================================================================================================

GENRE_CLASS_NAMES = {"press-release": "PressRelease", "newsletter-article": "NewsletterArticle",
                     "board-paper": "BoardPaper", "blog-post": "BlogPost", "news-article": "NewsArticle"}


def document_slug(name: str) -> str:
    """A stable slug for a document known only by its path: `x-`, the readable part of the path, and eight
    hex digits of the path's SHA-256 (so "a b.txt" and "a-b.txt" stay apart). The same path always gives the
    same slug, whatever the file holds, so a changed file replaces its own graph."""
    readable = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "document"
    return f"x-{readable}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain(label).lower()).strip("-")[:80].strip("-") or "unnamed"


def _date_literal(value: str):
    from rdflib import Literal
    from rdflib.namespace import XSD
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    precision = {4: "precisionYear", 7: "precisionMonth"}.get(len(value), "precisionDay")
    return Literal(value, datatype=datatype), precision


def _short_words(text: str, n: int = 14) -> str:
    words = " ".join(text.split()).split(" ")
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def write_extraction(graph, x: Extraction, slug: str, file_name: str | None = None) -> dict:
    """Write what one document says into `graph` (an rdflib Graph, the document's own named graph), in the
    shape the curated documents have, so queries and SHACL treat both alike: the document (`id/doc/<slug>`)
    with its title, date, SHA-256, file name, creator, publisher and mentions; each change, qualified
    oversight relation and claim with prov:wasGeneratedBy the rule that found it, nhskg:confidence and
    Web Annotation selectors (quote and position) for its span. Bodies and people the graph does not know are
    minted under `id/org/x-…` and `id/person/x-…`; a kind of body taking part in a change ("foundation
    trusts") becomes a collective body. Statements the graph cannot hold whole (an oversight relation with
    one side unknown, a change with no organisation) are left out. Returns the count written per kind."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD
    from .loader import CHANGE_CLASS, CLAIM_CLASS, RELATION_PROPERTY, STATUS, add_quantity
    n = Namespace(NHSKG)
    oa = Namespace("http://www.w3.org/ns/oa#")
    org = Namespace("http://www.w3.org/ns/org#")
    schema = Namespace("http://schema.org/")
    g = graph
    doc = URIRef(f"{ID}doc/{slug}")
    counts = {"entities": 0, "new entities": 0, "changes": 0, "oversight": 0, "claims": 0}
    title = x.title or Path(file_name or x.path).name
    g.add((doc, RDF.type, n[GENRE_CLASS_NAMES.get(x.genre or "", "Document")]))
    g.add((doc, DCTERMS.title, Literal(title, lang="en")))
    g.add((doc, RDFS.label, Literal(title, lang="en")))
    g.add((doc, n.sha256, Literal(x.sha256)))
    g.add((doc, n.fileName, Literal(file_name or Path(x.path).name)))
    g.add((doc, n.characterCount, Literal(x.text_length, datatype=XSD.nonNegativeInteger)))
    if x.date:
        literal, precision = _date_literal(x.date)
        g.add((doc, DCTERMS.date, literal))
        g.add((doc, n.datePrecision, n[precision]))
    minted: dict = {}

    def mint_node(kind: str, label: str, cls: str, collective: bool = False) -> URIRef:
        iri = URIRef(f"{ID}{'person' if kind == 'person' else 'org'}/x-{_slug(label)}")
        if iri not in minted:
            minted[iri] = label
            counts["new entities"] += 1
            g.add((iri, RDF.type, n.Person if kind == "person" else n[cls]))
            g.add((iri, RDFS.label, Literal(label, lang="en")))
            if kind == "person":
                g.add((iri, FOAF.name, Literal(label)))
                g.add((iri, schema.name, Literal(label)))
            if collective:
                g.add((iri, n.isCollective, Literal(True)))
            g.add((iri, PROV.wasDerivedFrom, doc))
        return iri

    def node(m: Mention | None, as_body: bool = True) -> URIRef | None:
        """The entity a mention denotes; a bare kind of body is its class, or (as_body) a collective body."""
        if m is None:
            return None
        if m.iri:
            return URIRef(m.iri)
        if m.kind == "type":
            if not as_body:
                return n[m.type]
            words = m.label.split()
            label = " ".join(words[:-1] + [plural(words[-1])]) if words and not _is_plural(m) else m.label
            return mint_node("body", label, m.type, collective=True)
        return mint_node(m.kind, m.label, m.type)

    def method_node(method: str) -> URIRef:
        iri = URIRef(f"{ID}method/{re.sub(r'[^a-z0-9-]+', '-', method.lower())}")
        g.add((iri, RDF.type, n.ExtractionMethod))
        g.add((iri, RDFS.label, Literal(method, lang="en")))
        return iri

    def anchor(subject, s, e, exact, method, confidence):
        g.add((subject, DCTERMS.source, doc))
        g.add((subject, PROV.wasGeneratedBy, method_node(method)))
        g.add((subject, n.confidence, Literal(f"{confidence:.2f}", datatype=XSD.decimal)))
        quote, position = URIRef(f"{subject}#quote"), URIRef(f"{subject}#position")
        for predicate, selector in ((n.quoteSelector, quote), (n.positionSelector, position)):
            g.add((subject, predicate, selector))
            g.add((subject, oa.hasSelector, selector))
            g.add((selector, DCTERMS.source, doc))
        g.add((quote, RDF.type, oa.TextQuoteSelector))
        g.add((quote, oa.exact, Literal(exact)))
        g.add((position, RDF.type, oa.TextPositionSelector))
        g.add((position, oa.start, Literal(s, datatype=XSD.nonNegativeInteger)))
        g.add((position, oa.end, Literal(e, datatype=XSD.nonNegativeInteger)))

    # the author and publisher: entities, never bare strings
    publisher = None
    if x.publisher:
        publisher = URIRef(x.publisher_iri) if x.publisher_iri else mint_node("body", x.publisher, x.publisher_type or "HealthBody")
        g.add((doc, DCTERMS.publisher, publisher))
    creator = None
    if x.author:
        if x.author_iri:
            creator = URIRef(x.author_iri)
        elif publisher is not None and x.author == x.publisher:
            creator = publisher
        else:
            creator = mint_node("person", x.author, "Person")
        g.add((doc, DCTERMS.creator, creator))
    for m in x.entities:
        if m.method == "anaphor":
            continue
        g.add((doc, schema.mentions, node(m, as_body=False)))
        counts["entities"] += 1

    number = 0
    for c in x.changes:
        bodies = [node(b) for b in c.sources]
        into = c.into
        triples = []
        if c.kind == "transfer":
            if not bodies or into is None:
                continue
            triples += [(n.transferredOrganization, bodies[0]), (n.toParent, node(into))]
        elif c.kind == "renaming":
            if not bodies:
                continue
            triples.append((n.renamedOrganization, bodies[0]))
            if into is not None:
                triples.append((n.newName, Literal(into.label, lang="en")))
        else:
            triples += [(org.originalOrganization, b) for b in bodies]
            if into is not None:
                if c.kind == "change-of-type" and into.kind == "type" and not into.iri:
                    triples.append((n.toType, n[into.type]))
                else:
                    triples.append((org.resultingOrganization, node(into)))
        if not any(p in (org.originalOrganization, org.resultingOrganization, n.transferredOrganization,
                         n.renamedOrganization) for p, _ in triples):
            continue
        number += 1
        subject = URIRef(f"{ID}change/{slug}-{number}")
        g.add((subject, RDF.type, CHANGE_CLASS[c.kind]))
        g.add((subject, n.status, STATUS[c.status]))
        names = ", ".join(_labels(c.sources)) or "?"
        label = f"{c.kind.replace('-', ' ')} ({c.status}): {names}" + (f" → {c.into.label}" if c.into else "")
        g.add((subject, RDFS.label, Literal(label, lang="en")))
        for predicate, obj in triples:
            g.add((subject, predicate, obj))
        if c.date:
            literal, precision = _date_literal(c.date)
            g.add((subject, DCTERMS.date, literal))
            g.add((subject, n.datePrecision, n[precision]))
        anchor(subject, c.start, c.end, c.text, c.method, c.confidence)
        counts["changes"] += 1

    number = 0
    for r in x.oversight:
        overseer, overseen = node(r.overseer), node(r.overseen)
        if overseer is None or overseen is None or overseer == overseen:
            continue
        number += 1
        subject = URIRef(f"{ID}relation/{slug}-{number}")
        prop = RELATION_PROPERTY[r.kind]
        if r.status == "done":
            g.add((overseer, prop, overseen))
        g.add((subject, RDF.type, n.OversightRelationship))
        g.add((subject, RDFS.label, Literal(f"{r.overseer.label} {r.kind.replace('-', ' ')} {r.overseen.label} ({r.status})", lang="en")))
        g.add((subject, n.overseer, overseer))
        g.add((subject, n.overseen, overseen))
        g.add((subject, n.relationProperty, prop))
        g.add((subject, n.status, STATUS[r.status]))
        anchor(subject, r.start, r.end, r.text, r.method, r.confidence)
        counts["oversight"] += 1

    fallback_about = next((m for m in x.entities if m.kind == "body"), None)
    number = 0
    for c in x.claims:
        about = [node(m, as_body=False) for m in c.about] or ([node(fallback_about)] if fallback_about else [])
        if not about:
            continue
        if c.claimant_iri:
            claimant = URIRef(c.claimant_iri)
        elif c.by_author and creator is not None:
            claimant = creator
        elif c.by_author or c.claimant == AUTHOR_UNKNOWN:
            claimant = URIRef(f"{ID}person/{slug}-author")
            if claimant not in minted:
                minted[claimant] = title
                name = f"author of {title}"
                g.add((claimant, RDF.type, n.Person))
                g.add((claimant, RDFS.label, Literal(name, lang="en")))
                g.add((claimant, schema.name, Literal(name)))
        else:
            claimant = mint_node("person" if c.claimant_kind == "person" else "body", c.claimant,
                                 c.claimant_type or "HealthBody")
        number += 1
        subject = URIRef(f"{ID}claim/{slug}-{number}")
        for t in c.types:
            g.add((subject, RDF.type, CLAIM_CLASS[t]))
        g.add((subject, PROV.wasAttributedTo, claimant))
        for target in dict.fromkeys(about):
            g.add((subject, schema.about, target))
        summary = f"{c.type} (extracted): {_short_words(c.text)}"
        g.add((subject, n.summary, Literal(summary, lang="en")))
        g.add((subject, RDFS.label, Literal(summary, lang="en")))
        g.add((subject, schema.isBasedOn, doc))
        if x.date:
            literal, precision = _date_literal(x.date)
            g.add((subject, DCTERMS.date, literal))
        for j, q in enumerate(c.quantities, 1):
            add_quantity(g, subject, j, q)
        anchor(subject, c.start, c.end, c.text, c.method, c.confidence)
        counts["claims"] += 1
    return counts


def to_dataset(extractions: list[Extraction]):
    """An rdflib Dataset holding each document's extraction in its own graph `graph/document/<slug>`, the
    slug made from the document's path (`document_slug`), written by `write_extraction`."""
    from rdflib import Dataset, URIRef
    ds = Dataset()
    for x in extractions:
        slug = document_slug(str(x.path))
        write_extraction(ds.graph(URIRef(f"{BASE_IRI}graph/document/{slug}")), x, slug, Path(x.path).name)
    return ds


def to_trig(extractions: list[Extraction]) -> str:
    """TriG (Turtle with one named graph per document) of what the documents say."""
    from .vocab import bind_prefixes
    ds = to_dataset(extractions)
    bind_prefixes(ds)
    return ds.serialize(format="trig")


def default_gazetteer(build_dir: Path | None = None) -> Gazetteer:
    """The gazetteer of the built graph in build_dir when there is one, else of the curated data built in
    memory without reasoning (a couple of seconds)."""
    if build_dir is not None and (Path(build_dir) / "nhskg.trig").is_file():
        return load_gazetteer(Path(build_dir))
    from .build import build_dataset
    return load_gazetteer(build_dataset(profile="none"))


def extract_report(paths, fmt: str = "json", build_dir: Path | None = None,
                   encodings: tuple[str, ...] = ("utf-8", "cp1252")) -> tuple[str, list]:
    """What `nhskg extract FILE... --format json|turtle` prints, and the files skipped with their reasons.
    A file that cannot be read (empty, binary, undecodable) is skipped and never stops the others."""
    if fmt not in ("json", "turtle"):
        raise InputError("--format", f"{fmt!r} is not json or turtle")
    gaz = default_gazetteer(build_dir)
    done, skipped = [], []
    for path in paths:
        try:
            done.append(Extractor(gaz).run(read_source(Path(path), encodings)))
        except InputError as error:
            skipped.append((str(path), error.problem))
    if fmt == "json":
        return to_json_text([x.to_json() for x in done]), skipped
    return (to_trig(done) if done else ""), skipped
