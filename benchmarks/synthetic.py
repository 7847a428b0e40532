"""Synthetic nhskg graphs and documents at any scale, for benchmarks: deterministic from (scale, seed).

It invents an England of its own: clusters of local health economies, each with a strategic health authority,
NHS England regions of two vintages, area teams, STPs that become ICBs, a commissioning support unit, and
counties whose GP fundholders, PCGs, PCT, practice-based commissioning group, GP consortium and CCGs succeed
one another through mergers, splits, renamings and replacements. It writes them as the real build does:

- graph `register`: bodies, GSS code assignments, dated memberships and changes, triple for triple as
  `nhskg.register.register_graph` makes them from data/register/;
- graph `entities`: national and local bodies, people and their roles, as `nhskg.loader.Loader` does for
  data/entities.toml;
- one graph `document/<slug>` per document: its metadata, the changes, oversight relations and claims it
  reports, each anchored by a TextQuoteSelector and a TextPositionSelector into the document's text, as the
  loader does for data/documents/*.toml.

The documents' plain texts are written beside the graph (`documents/`), built from sentence templates of
this module so that every anchored quote stands at its recorded offsets and `nhskg extract` finds the bodies,
changes and claims in them. Neither the ontology nor inferred triples are written: the pipeline adds those.

`scale` is the number of quads to write (within a few per cent): the register and entities take about 40%
and documents the rest. Quads are streamed to the file as they are made, never held as a graph, so a million
takes seconds and little memory.

Usage: python benchmarks/synthetic.py --scale 100k [--seed 0] --out DIR
"""

import argparse
import datetime
import hashlib
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from nhskg.loader import CHANGE_CLASS, CLAIM_CLASS, GENRE_CLASS, RELATION_PROPERTY, STATUS
from nhskg.register import CCG_END, GEOGRAPHY, ICB_START, OGL
from nhskg.vocab import FOAF, GRAPH_ENTITIES, GRAPH_REGISTER, ID, NHSKG, OA, ORG, SCHEMA, document_graph

REGISTER_SHARE = 0.40        # of the quads, for the register and entity graphs together; documents get the rest
CONTEXT = 28                 # characters of prefix and suffix kept beside each quote, as the curated anchors do
GRAPH_FILE = "graph.nq"
DOCUMENTS_DIR = "documents"


# =====================================================================================================
# N-Quads terms, written directly (rdflib's N-Quads parser reads them back)
# =====================================================================================================

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value) -> str:
    return f"<{value}>"


def plain(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def english(text: str) -> str:
    return plain(text) + "@en"


def typed(text: str, datatype) -> str:
    return plain(text) + "^^" + iri(datatype)


def date_literal(value: str) -> str:
    """A date keeps its precision, as nhskg.dates.parse_date does: YYYY, YYYY-MM, YYYY-MM-DD."""
    return typed(value, {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)])


def precision(value: str) -> str:
    return iri({4: NHSKG.precisionYear, 7: NHSKG.precisionMonth, 10: NHSKG.precisionDay}[len(value)])


def integer(value: int, datatype=XSD.nonNegativeInteger) -> str:
    return typed(str(value), datatype)


A = iri(RDF.type)
LABEL, PREF, ALT, NOTE = iri(RDFS.label), iri(SKOS.prefLabel), iri(SKOS.altLabel), iri(SKOS.note)
SOURCE, DATE, TITLE = iri(DCTERMS.source), iri(DCTERMS.date), iri(DCTERMS.title)
ODS, GSS, PARENT = iri(NHSKG.odsCode), iri(NHSKG.gssCode), iri(ORG.subOrganizationOf)
FOUNDED, DISSOLVED = iri(SCHEMA.foundingDate), iri(SCHEMA.dissolutionDate)
VALID_IN, PRECISION, STATUS_P = iri(NHSKG.validInYear), iri(NHSKG.datePrecision), iri(NHSKG.status)
ORIGINAL, RESULTING = iri(ORG.originalOrganization), iri(ORG.resultingOrganization)
MEMBER, ORGANIZATION, ROLE = iri(ORG.member), iri(ORG.organization), iri(ORG.role)
REGISTER_SOURCE = iri(ID["dataset/ons-ods-register"])


class QuadSink:
    """Writes quads to a stream as they come and counts them; one named graph is current at a time."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0
        self._tail = ""

    def use(self, graph) -> None:
        self._tail = f" <{graph}> .\n"

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.stream.write(f"{subject} {predicate} {obj}{self._tail}")
        self.count += 1


# =====================================================================================================
# Names (invented; any likeness to a real place is chance)
# =====================================================================================================

_ROOTS = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gar", "Hol", "Ivel", "Kel", "Lang", "Mar", "Nor", "Oak",
          "Pen", "Quen", "Ros", "Sel", "Tarn", "Ulver", "Wen", "Yar", "Ald", "Brock", "Cran", "Dray", "Hart",
          "Lark", "Stan", "Thorn", "Wil", "Rother", "Kings", "Merry", "Silver", "Black", "Green", "Red")
_ENDS = ("bury", "caster", "dale", "field", "ford", "ham", "hurst", "ley", "mere", "minster", "more", "port",
         "stead", "stow", "ton", "wick", "worth", "borough", "by", "combe", "don", "gate", "holm", "land",
         "marsh", "moor", "well", "wood", "thwaite", "bridge")
_FIRST = ("Alan", "Beth", "Carol", "David", "Elaine", "Farid", "Grace", "Hugh", "Imran", "Jane", "Kevin",
          "Laura", "Martin", "Nadia", "Owen", "Priya", "Quentin", "Rachel", "Simon", "Tara", "Usha", "Victor",
          "Wendy", "Yusuf", "Zoe", "Anne", "Brian", "Chloe", "Deepak", "Helen", "Ian", "Julia", "Mark", "Ruth")
_LAST = ("Archer", "Baines", "Carver", "Dalton", "Ellis", "Fisher", "Gill", "Hughes", "Iqbal", "Jarvis", "Kaur",
         "Lowe", "Marsh", "Nolan", "Okafor", "Patel", "Quinn", "Reid", "Shah", "Turner", "Upton", "Vance",
         "Webb", "Young", "Ahmed", "Brooks", "Cole", "Doyle", "Evans", "Foster", "Grant", "Holt", "Kerr", "Lamb")
_QUARTERS = ("North", "South", "East", "West", "Central")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def slugify(text: str) -> str:
    out, dash = [], False
    for char in text.lower():
        if char.isascii() and char.isalnum():
            out.append(char)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def spoken_date(value: str) -> str:
    """'2015-04-01' -> '1 April 2015'; '2011-06' -> 'June 2011'; '2011' -> '2011'."""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def day_before(value: str) -> str:
    return (datetime.date.fromisoformat(value) - datetime.timedelta(days=1)).isoformat()


def listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Namer:
    """Unique place names, person names, slugs and codes, all drawn from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()       # membership tests only; never iterated (hash order varies)
        self.counters: dict[str, int] = {}

    def place(self) -> str:
        for _ in range(50):
            name = self.rng.choice(_ROOTS) + self.rng.choice(_ENDS)
            if self.rng.random() < 0.25:
                name = self.rng.choice(("Upper", "Lower", "Great", "Little", "Mid", "Old")) + " " + name
            if name not in self.used:
                self.used.add(name)
                return name
        self.counters["place"] = self.counters.get("place", 0) + 1     # the pool is exhausted: number them
        return f"{self.rng.choice(_ROOTS)}{self.rng.choice(_ENDS)} {self.counters['place']}"

    def unique_slug(self, base: str) -> str:
        slug, n = base, 1
        while slug in self.used:
            n += 1
            slug = f"{base}-{n}"
        self.used.add(slug)
        return slug

    def next(self, kind: str) -> int:
        value = self.counters.get(kind, 0)
        self.counters[kind] = value + 1
        return value

    def code(self, kind: str, lead: str, alphabets: tuple[str, ...]) -> str:
        """The next ODS-style code of a kind: `lead` + one character from each alphabet (3 characters in all),
        then 5 characters once those run out; codes of different kinds never collide (distinct leads)."""
        index = self.next("ods-" + kind)
        capacity = 1
        for alphabet in alphabets:
            capacity *= len(alphabet)
        chars, rest = [], index % capacity
        for alphabet in reversed(alphabets):
            chars.append(alphabet[rest % len(alphabet)])
            rest //= len(alphabet)
        code = lead + "".join(reversed(chars))
        return code if index < capacity else f"{code}{index // capacity - 1:02d}"

    def gss(self, prefix: str) -> str:
        return f"{prefix}{self.next('gss-' + prefix) + 1:06d}"


DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = DIGITS + LETTERS


# =====================================================================================================
# The invented world
# =====================================================================================================

@dataclass
class Org:
    key: str              # the local part after id/org/
    label: str
    cls: str              # a class of the ontology (local name)
    start: str = ""
    end: str = ""
    ods: str = ""
    aliases: list = field(default_factory=list)
    gss: str = ""
    moved: str = ""                     # the day a CCG moved to another STP (`moved_to`), if it did
    moved_to: "Org | None" = None
    renamed: str = ""                   # the day it took its label, if it had another name (`old_label`) before
    old_label: str = ""

    @property
    def term(self) -> str:
        return iri(ID[f"org/{self.key}"])

    def alive(self, day: str) -> bool:
        return (not self.start or self.start[:len(day)] <= day) and (not self.end or day <= self.end)

    def name_on(self, day: str) -> str:
        """What documents of that day call it."""
        return self.old_label if self.renamed and day < self.renamed else self.label


@dataclass
class Person:
    slug: str
    name: str
    honorific: str = ""
    role: str = ""
    body: Org | None = None

    @property
    def term(self) -> str:
        return iri(ID[f"person/{self.slug}"])

    @property
    def spoken(self) -> str:
        return f"{self.honorific} {self.name}".strip()


@dataclass
class Event:
    """A change in a county's history that documents may report (the register holds its own copies)."""
    kind: str             # a key of nhskg.loader.CHANGE_CLASS
    date: str
    originals: list = field(default_factory=list)
    results: list = field(default_factory=list)
    body: Org | None = None
    old_name: str = ""
    new_name: str = ""
    from_parent: Org | None = None
    to_parent: Org | None = None


@dataclass
class County:
    place: str
    fundholder: Org
    pcgs: list
    pct: Org
    pbc: Org
    consortium: Org
    ccgs: list            # every CCG the county ever had, oldest first
    hwb: Org
    lmc: Org
    trust: Org
    authority: Org
    team: Org | None = None             # its NHS England area team of 2013
    stp: Org | None = None              # its STP of 2019 (later its ICB)
    events: list = field(default_factory=list)
    people: list = field(default_factory=list)


@dataclass
class Cluster:
    name: str
    sha: Org
    region13: Org
    region18: Org
    local_office: Org
    csu: Org
    senate: Org
    media: Org
    stps: list
    counties: list
    journalists: list = field(default_factory=list)


@dataclass
class Nation:
    nhs_england: Org
    department: Org
    monitor: Org
    regulator: Org
    alliance: Org
    collectives: dict


class Register:
    """Register bodies, code assignments, memberships and changes, written as register_graph writes them."""

    def __init__(self, sink: QuadSink):
        self.sink = sink
        self.datasets: list[str] = []

    def body(self, org: Org, types: list[str], years: list[int], codes: list[tuple[str, list[int]]],
             parent: str = "") -> None:
        add, s = self.sink.add, org.term
        for class_name in types:
            add(s, A, iri(NHSKG[class_name]))
        add(s, LABEL, english(org.label))
        add(s, PREF, english(org.label))
        for alias in org.aliases:
            add(s, ALT, english(alias))
        if org.ods:
            add(s, ODS, plain(org.ods))
        if org.start:
            add(s, FOUNDED, typed(org.start, XSD.date))
        if org.end:
            add(s, DISSOLVED, typed(org.end, XSD.date))
        if parent:
            add(s, PARENT, iri(ID[f"org/{parent}"]))
        for year in years:
            add(s, VALID_IN, typed(str(year), XSD.gYear))
        add(s, SOURCE, REGISTER_SOURCE)
        for gss, code_years in codes:
            geography = iri(GEOGRAPHY + gss)
            assignment = iri(f"{ID[f'org/{org.key}']}#gss-{gss.lower()}")
            add(s, GSS, plain(gss))
            add(s, iri(NHSKG.statisticalGeography), geography)
            add(s, iri(NHSKG.hasCodeAssignment), assignment)
            add(assignment, A, iri(NHSKG.CodeAssignment))
            add(assignment, GSS, plain(gss))
            add(assignment, iri(NHSKG.statisticalGeography), geography)
            for year in code_years:
                add(assignment, VALID_IN, typed(str(year), XSD.gYear))

    def membership(self, member: Org, organisation: Org, years: list[int]) -> None:
        if not years:
            return
        add, m = self.sink.add, iri(ID[f"membership/{member.key}--{organisation.key}"])
        add(m, A, iri(NHSKG.RegisterMembership))
        add(m, MEMBER, member.term)
        add(m, ORGANIZATION, organisation.term)
        for year in sorted(years):
            add(m, VALID_IN, typed(str(year), XSD.gYear))

    def change(self, slug: str, kind: str, date: str, label: str, source: str, originals=(), results=(),
               retyped: Org | None = None, from_type: str = "", to_type: str = "") -> None:
        add, c = self.sink.add, iri(ID[f"change/{slug}"])
        add(c, A, iri(NHSKG.Merger if kind == "merger" else NHSKG.ChangeOfType))
        add(c, LABEL, english(label))
        add(c, DATE, typed(date, XSD.date))
        add(c, PRECISION, iri(NHSKG.precisionDay))
        add(c, STATUS_P, iri(NHSKG.statusDone))
        add(c, SOURCE, iri(ID[f"dataset/{source}"]))
        for org in originals:
            add(c, ORIGINAL, org.term)
        for org in results:
            add(c, RESULTING, org.term)
        if retyped is not None:
            add(c, iri(NHSKG.retypedOrganization), retyped.term)
            add(c, iri(NHSKG.fromType), iri(NHSKG[from_type]))
            add(c, iri(NHSKG.toType), iri(NHSKG[to_type]))
        if source not in self.datasets:
            self.datasets.append(source)

    def finish(self) -> None:
        """The open datasets the register's facts come from, once each."""
        for dataset in sorted(set(self.datasets) | {"ons-ods-register"}):
            node = iri(ID[f"dataset/{dataset}"])
            self.sink.add(node, A, iri(NHSKG.OpenDataset))
            self.sink.add(node, LABEL, english(f"{dataset} (ONS / NHS ODS open data, via the nhskg register)"))
            self.sink.add(node, iri(DCTERMS.license), iri(OGL))


class Entities:
    """Curated bodies, people and role memberships, written as the loader writes data/entities.toml."""

    def __init__(self, sink: QuadSink):
        self.sink = sink
        self.roles_typed: set[str] = set()

    def body(self, org: Org, collective: bool = False, parent: Org | None = None, note: str = "") -> None:
        add, s = self.sink.add, org.term
        add(s, A, iri(NHSKG[org.cls]))
        add(s, LABEL, english(org.label))
        add(s, PREF, english(org.label))
        for alias in org.aliases:
            add(s, ALT, english(alias))
        if org.start:
            add(s, FOUNDED, date_literal(org.start))
        if org.end:
            add(s, DISSOLVED, date_literal(org.end))
        if collective:
            add(s, iri(NHSKG.isCollective), typed("true", XSD.boolean))
        if parent is not None:
            add(s, PARENT, parent.term)
        if org.ods:
            add(s, ODS, plain(org.ods))
        if note:
            add(s, NOTE, english(note))

    def person(self, person: Person, graph_roles: set[str] | None = None, derived_from: str = "") -> None:
        add, s = self.sink.add, person.term
        add(s, A, iri(NHSKG.Person))
        add(s, LABEL, english(person.name))
        add(s, iri(FOAF.name), plain(person.name))
        add(s, iri(SCHEMA.name), plain(person.name))
        if person.honorific:
            add(s, iri(SCHEMA.honorificPrefix), plain(person.honorific))
            add(s, ALT, english(f"{person.honorific} {person.name.split()[-1]}"))
        if derived_from:
            add(s, iri(PROV.wasDerivedFrom), derived_from)

    def role(self, person: Person, year: str) -> None:
        add = self.sink.add
        membership = iri(ID[f"membership/{person.slug}-{person.role}-{person.body.key}"])
        role = iri(ID[f"role/{person.role}"])
        add(membership, A, iri(ORG.Membership))
        add(membership, MEMBER, person.term)
        add(membership, ORGANIZATION, person.body.term)
        add(membership, ROLE, role)
        if person.role not in self.roles_typed:       # one org:Role node per role, whoever holds it
            self.roles_typed.add(person.role)
            add(role, A, iri(ORG.Role))
            add(role, LABEL, english(person.role.replace("-", " ")))
        add(membership, DATE, date_literal(year))


YEARS = range(2013, 2022)                  # the April lists of CCGs


def april(year: int) -> str:
    return f"{year}-04-01"


def years_alive(org: Org, years=YEARS) -> list[int]:
    return [y for y in years if org.alive(april(y))]


class World:
    """Makes clusters one at a time, writing their register and entity quads as it goes."""

    def __init__(self, rng: random.Random, sink: QuadSink):
        self.rng = rng
        self.names = Namer(rng)
        self.sink = sink
        self.register = Register(sink)
        self.entities = Entities(sink)
        self.clusters: list[Cluster] = []
        self.nation = self._nation()

    # -- national bodies ---------------------------------------------------------------------------
    def _nation(self) -> Nation:
        nation = Nation(
            Org("nhs-england", "NHS England", "NHSCommissioningBoard", "2012-10-01", ods="X24",
                aliases=["NHS Commissioning Board", "NHSCB"]),
            Org("department-of-health", "Department of Health", "DepartmentOfState", "1988",
                aliases=["DH", "Department of Health and Social Care"]),
            Org("monitor", "Monitor", "HealthcareSectorRegulator", "2004-01", "2016-03-31",
                aliases=["Independent Regulator of NHS Foundation Trusts"]),
            Org("care-quality-commission", "Care Quality Commission", "Regulator", "2009-04-01", aliases=["CQC"]),
            Org("nhs-alliance", "NHS Alliance", "MembershipBody", "1998", "2015"),
            {cls: Org(slug, label, cls, aliases=[alias]) for cls, slug, label, alias in (
                ("ClinicalCommissioningGroup", "clinical-commissioning-groups", "Clinical Commissioning Groups", "CCGs"),
                ("PrimaryCareTrust", "primary-care-trusts", "Primary Care Trusts", "PCTs"),
                ("GPCommissioningConsortium", "gp-consortia", "GP commissioning consortia", "GP consortia"))})
        self.sink.use(GRAPH_ENTITIES)
        for org in (nation.nhs_england, nation.department, nation.monitor, nation.regulator, nation.alliance):
            self.entities.body(org)
        for org in nation.collectives.values():
            self.entities.body(org, collective=True)
        return nation

    # -- people ------------------------------------------------------------------------------------
    def person(self, role: str, body: Org, doctor: bool = False) -> Person:
        name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"
        return Person(self.names.unique_slug(slugify(name)), name, "Dr" if doctor else "", role, body)

    # -- one cluster ---------------------------------------------------------------------------------
    def cluster(self, county_count: int) -> Cluster:
        rng, names = self.rng, self.names
        name = names.place()
        sha = Org("", f"{name} Strategic Health Authority", "StrategicHealthAuthority", "2006-07-01", "2013-03-31",
                  ods=names.code("sha", "Q3", (DIGITS,)), aliases=[f"NHS {name}"])
        sha.key = "ods-" + sha.ods.lower()
        region13 = self._gss_org("E40", f"{name} Commissioning Region", "NHSEnglandRegion")
        region18 = self._gss_org("E40", f"{name} and the {names.place()} Vale", "NHSEnglandRegion")
        region18.ods = names.code("region", "Y", (DIGITS, DIGITS))
        local_office = self._gss_org("E39", f"NHS England {name} (Local Office)", "NHSEnglandAreaTeam")
        csu = Org(names.unique_slug(slugify(f"{name} csu")), f"{name} Commissioning Support Unit",
                  "CommissioningSupportUnit", "2013-04-01", ods=names.code("csu", "0", (LETTERS, LETTERS)),
                  aliases=[f"{name} CSU"])
        senate = Org(names.unique_slug(slugify(f"{name} clinical senate")), f"{name} Clinical Senate",
                     "ClinicalSenate", "2013-04")
        media = Org(names.unique_slug(slugify(f"{name} gazette")), f"The {name} Gazette", "MediaOrganisation")
        stp_count = 1 if county_count < 3 else 2
        stps = []
        for _ in range(stp_count):
            place = names.place()
            stp = self._gss_org("E54", f"NHS {place} Integrated Care Board", "IntegratedCareBoard")
            stp.ods = names.code("stp", "Q", (LETTERS, ALNUM))
            stp.aliases = [f"{place} Health and Care Partnership"]
            stps.append(stp)
        cluster = Cluster(name, sha, region13, region18, local_office, csu, senate, media, stps, [])
        cluster.journalists = [self.person("reporter", media) for _ in range(2)]
        teams = []
        for i in range(county_count):
            if i % 2 == 0:
                teams.append(self._gss_org("E39", f"{names.place()} Area Team", "NHSEnglandAreaTeam"))
            cluster.counties.append(self._county(teams[-1], stps[min(i * stp_count // county_count, stp_count - 1)]))
        self._cross_county_merger(cluster)
        self._transfer(cluster)
        for county in cluster.counties:
            self._renaming(county)
        self._write(cluster, teams)
        self.clusters.append(cluster)
        return cluster

    def _gss_org(self, prefix: str, label: str, cls: str) -> Org:
        gss = self.names.gss(prefix)
        return Org("gss-" + gss.lower(), label, cls, gss=gss)

    def _county(self, team: Org, stp: Org) -> County:
        rng, names = self.rng, self.names
        place = names.place()
        surname = rng.choice(_LAST)
        fundholder = Org(names.unique_slug(slugify(f"{surname} street surgery {place}")),
                         f"{surname} Street Surgery, {place}", "GPFundholdingPractice", "1993-04-01", "1999-03-31")
        pcgs = [Org(names.unique_slug(slugify(f"{place} {q} pcg")), f"{place} {q} Primary Care Group",
                    "PrimaryCareGroup", "1999-04-01", "2002-03-31", aliases=[f"{place} {q} PCG"])
                for q in ("North", "South")]
        pct = Org("", f"{place} Primary Care Trust", "PrimaryCareTrust", end="2013-03-31",
                  ods=names.code("pct", "5", (LETTERS, ALNUM)), aliases=[f"NHS {place}"])
        pct.key = "ods-" + pct.ods.lower()
        pbc = Org(names.unique_slug(slugify(f"{place} pbc")), f"{place} Practice Based Commissioning Group",
                  "PracticeBasedCommissioningGroup", "2005-04", "2011-03-31", aliases=[f"{place} PBC"])
        consortium = Org(names.unique_slug(slugify(f"{place} gp consortium")), f"{place} GP Commissioning Consortium",
                         "GPCommissioningConsortium", f"2011-0{rng.randint(1, 6)}", "2013-03-31",
                         aliases=[f"{place} pathfinder consortium"])
        hwb = Org(names.unique_slug(slugify(f"{place} hwb")), f"{place} Health and Wellbeing Board",
                  "HealthAndWellbeingBoard", "2013-04-01", aliases=[f"{place} HWB"])
        lmc = Org(names.unique_slug(slugify(f"{place} lmc")), f"{place} Local Medical Committee",
                  "LocalMedicalCommittee", str(rng.randint(1948, 1975)), aliases=[f"{place} LMC"])
        trust = Org(names.unique_slug(slugify(f"{place} hospitals")), f"{place} Hospitals NHS Foundation Trust",
                    "NHSTrust", f"{rng.randint(2004, 2010)}-04-01", ods=names.code("trust", "R", (ALNUM, ALNUM)))
        authority = self._gss_org(rng.choice(("E06", "E10")), f"{place} Council", "LocalAuthority")
        count = rng.choice((1, 2, 2, 3, 3, 4))
        quarters = rng.sample(_QUARTERS, count)
        ccgs = []
        for quarter in quarters:
            label = f"NHS {place} CCG" if count == 1 else f"NHS {place} {quarter} CCG"
            ccgs.append(self._ccg(label, "2013-04-01"))
        county = County(place, fundholder, pcgs, pct, pbc, consortium, ccgs, hwb, lmc, trust, authority, team, stp)
        events = county.events
        events.append(Event("replacement", "1999-04-01", [fundholder], pcgs[:1]))
        events.append(Event("merger", "2002-04-01", list(pcgs), [pct]))
        events.append(Event("establishment", pbc.start, [], [pbc]))
        events.append(Event("change-of-type", consortium.start, [pbc], [consortium]))
        events.append(Event("abolition", "2013-03-31", [pct], []))
        events.append(Event("replacement", "2013-04-01", [pct], list(ccgs)))
        events.append(Event("split" if count > 1 else "change-of-type", "2013-04-01", [consortium], list(ccgs)))
        # A county with several CCGs merges some or all of them, once, between 2015 and 2021.
        if count > 1 and (rng.random() < 0.7 or not self.clusters):
            year = rng.randint(2015, 2021)
            merging = list(ccgs) if rng.random() < 0.7 else ccgs[:2]
            date = april(year)
            label = f"NHS {place} CCG" if len(merging) == count else f"NHS {place} {quarters[0]} and {quarters[1]} CCG"
            merged = self._ccg(label, date)
            for ccg in merging:
                ccg.end = day_before(date)
            ccgs.append(merged)
            events.append(Event("merger", date, list(merging), [merged]))
        people = county.people
        first = ccgs[0]
        people.append(self.person("chair", first, doctor=True))
        people.append(self.person("accountable-officer", first))
        people.append(self.person("chief-executive", pct))
        people.append(self.person("secretary", lmc, doctor=True))
        people.append(self.person("chief-executive", trust))
        people.append(self.person("chair", hwb))
        return county

    def _ccg(self, label: str, start: str) -> Org:
        ods = self.names.code("ccg", "", (DIGITS, DIGITS, LETTERS))
        return Org("ods-" + ods.lower(), label, "ClinicalCommissioningGroup", start, CCG_END, ods=ods,
                   gss=self.names.gss("E38"))

    def _cross_county_merger(self, cluster: Cluster) -> None:
        """Two neighbouring counties in one STP, each down to one CCG, merge those in a later year."""
        for left, right in zip(cluster.counties, cluster.counties[1:]):
            if left.stp is not right.stp or self.rng.random() < 0.6:
                continue
            last = [c for county in (left, right) for c in county.ccgs if c.end == CCG_END]
            if len(last) != 2:
                continue
            year = max(int(c.start[:4]) for c in last) + 1
            if year > 2021:
                continue
            date = april(year)
            merged = self._ccg(f"NHS {left.place} and {right.place} CCG", date)
            for ccg in last:
                ccg.end = day_before(date)
            left.ccgs.append(merged)
            left.events.append(Event("merger", date, last, [merged]))
            right.events.append(Event("merger", date, last, [merged]))
            return

    def _renaming(self, county: County) -> None:
        """Now and then a CCG changes its name (keeping its code) in a year it was alive all through."""
        rng = self.rng
        if rng.random() >= 0.25:
            return
        ccg = rng.choice(county.ccgs)
        years = [y for y in years_alive(ccg) if y > int(ccg.start[:4])]
        if not years:
            return
        year = rng.choice(years)
        old = ccg.label
        ccg.label, ccg.old_label, ccg.renamed = old.replace("NHS ", "NHS Greater ", 1), old, april(year)
        ccg.aliases.append(old)
        county.events.append(Event("renaming", april(year), body=ccg, old_name=old, new_name=ccg.label))

    def _transfer(self, cluster: Cluster) -> None:
        """In a cluster with two STPs, one CCG of the first moves to the second in April 2020."""
        if len(cluster.stps) < 2:
            return
        for county in cluster.counties:
            if county.stp is cluster.stps[0]:
                movers = [c for c in county.ccgs if c.alive("2019-04-01") and c.alive("2021-04-01")]
                if movers:
                    mover = movers[0]
                    mover.moved, mover.moved_to = "2020-04-01", cluster.stps[1]
                    county.events.append(Event("transfer", "2020-04-01", body=mover,
                                               from_parent=cluster.stps[0], to_parent=cluster.stps[1]))
                    return

    # -- writing the cluster ---------------------------------------------------------------------------
    @staticmethod
    def _stp_of(county: County, ccg: Org, year: int) -> Org:
        if ccg.moved and year >= int(ccg.moved[:4]):
            return ccg.moved_to
        return county.stp

    def _write(self, cluster: Cluster, teams: list[Org]) -> None:
        reg, ent, nation = self.register, self.entities, self.nation
        # entities: the cluster's and counties' curated bodies and people
        self.sink.use(GRAPH_ENTITIES)
        for org in (cluster.csu, cluster.senate, cluster.media):
            ent.body(org)
        for person in cluster.journalists:
            ent.person(person)
        for county in cluster.counties:
            for org in (county.fundholder, *county.pcgs, county.pbc, county.consortium, county.lmc, county.trust):
                ent.body(org)
            ent.body(county.hwb, parent=county.authority)
            for person in county.people:
                ent.person(person)
                ent.role(person, str(self.rng.randint(2009, 2016)))
        # register: bodies, codes and memberships, then the changes the ODS records hold
        self.sink.use(GRAPH_REGISTER)
        reg.body(cluster.sha, ["StrategicHealthAuthority"], [2012], [(self.names.gss("E18"), [2012])])
        reg.body(cluster.region13, ["NHSEnglandRegion"], [2013], [(cluster.region13.gss, [2013])], "nhs-england")
        reg.body(cluster.region18, ["NHSEnglandRegion"], [2018, 2019, 2021], [(cluster.region18.gss, [2018, 2019, 2021])],
                 "nhs-england")
        reg.body(cluster.local_office, ["NHSEnglandAreaTeam"], [2018], [(cluster.local_office.gss, [2018])])
        reg.membership(cluster.local_office, cluster.region18, [2018])
        for team in teams:
            reg.body(team, ["NHSEnglandAreaTeam"], [2013], [(team.gss, [2013])])
            reg.membership(team, cluster.region13, [2013])
        for stp in cluster.stps:
            years = [2019, 2020, 2021, 2023]
            reg.body(stp, ["SustainabilityAndTransformationPartnership", "IntegratedCareBoard"], years,
                     [(stp.gss, years)])
            reg.membership(stp, cluster.region18, [2019, 2021])
            reg.change(f"stp-becomes-icb-{stp.gss.lower()}", "change-of-type", ICB_START,
                       f"{stp.aliases[0]} STP becomes an Integrated Care Board, keeping its code", "ons-icb23-names",
                       retyped=stp, from_type="SustainabilityAndTransformationPartnership",
                       to_type="IntegratedCareBoard")
        for county in cluster.counties:
            reg.body(county.authority, ["LocalAuthority"], [], [(county.authority.gss, [])])
            reg.body(county.pct, ["PrimaryCareTrust"], [2012], [(self.names.gss("E16"), [2012])])
            reg.membership(county.pct, cluster.sha, [2012])
            for ccg in county.ccgs:
                years = years_alive(ccg)
                if self.rng.random() < 0.1 and len(years) > 2:    # a boundary change gave it a new GSS code
                    cut = years[len(years) // 2]
                    codes = [(ccg.gss, [y for y in years if y < cut]), (self.names.gss("E38"), [y for y in years if y >= cut])]
                else:
                    codes = [(ccg.gss, years)]
                reg.body(ccg, ["ClinicalCommissioningGroup"], years, codes)
                reg.membership(ccg, county.team, [y for y in years if y == 2013])
                reg.membership(ccg, cluster.region13, [y for y in years if y == 2013])
                reg.membership(ccg, cluster.local_office, [y for y in years if y == 2018])
                reg.membership(ccg, cluster.region18, [y for y in years if y in (2018, 2019, 2021)])
                by_stp: dict[str, tuple[Org, list[int]]] = {}
                for year in years:
                    if year >= 2019:
                        stp = self._stp_of(county, ccg, year)
                        by_stp.setdefault(stp.key, (stp, []))[1].append(year)
                for stp, stp_years in by_stp.values():
                    reg.membership(ccg, stp, stp_years)
                if ccg.end == CCG_END:   # on 1 July 2022 its functions pass to its ICB and a sub-ICB location
                    icb = self._stp_of(county, ccg, 2021)
                    sub = Org(f"sub-icb-{ccg.ods.lower()}", f"{icb.label} - {ccg.ods}", "SubICBLocation", ICB_START)
                    reg.body(sub, ["SubICBLocation"], [], [], icb.key)
                    reg.change(f"ccg-into-icb-{ccg.ods.lower()}", "change-of-type", ICB_START,
                               f"CCG {ccg.ods} is abolished; its functions pass to its ICB, its area becomes "
                               f"sub-ICB location {ccg.ods}", "nhsd-ccg-ccg21-stp21-nhser21",
                               originals=[ccg], results=sorted([icb, sub], key=lambda o: o.key))
            for event in county.events:
                if event.kind == "merger" and event.results[0].cls == "ClinicalCommissioningGroup" and \
                        event.results[0] in county.ccgs:
                    after = event.results[0]
                    reg.change(f"ccg-merger-{event.date[:4]}-{after.ods.lower()}", "merger", event.date,
                               f"{len(event.originals)} CCGs merge into {after.ods}", "ods-successors",
                               originals=sorted(event.originals, key=lambda o: o.key), results=[after])


# =====================================================================================================
# Documents
# =====================================================================================================

@dataclass
class Statement:
    """One anchored statement of a document: a sentence whose words `quote` stand at `offset` in it."""
    kind: str             # change | relation | claim
    sentence: str
    offset: int
    quote: str
    data: dict
    mentions: list


# Claim wordings: (claim types, words, summary, quantity kind). {b} is a body's name, {n} a number,
# {m} millions of pounds, {y} a year. Summaries are the project's own paraphrase of the invented words.
CLAIM_WORDS = (
    (["estimate"], "the merger will save about £{m}m a year in management costs",
     "Merging will save about £{m}m a year in management costs.", "money"),
    (["estimate", "criticism"], "at least {n} patients a year are waiting too long for a first appointment at {b}",
     "At least {n} patients a year wait too long for a first appointment at {b}.", "patients-lower"),
    (["prediction"], "{b} will have to find savings of £{m}m before the end of the year",
     "{b} will have to save £{m}m this year.", "money"),
    (["prediction"], "by {y} there will be no more than {n} commissioning groups in the region",
     "There will be at most {n} commissioning groups in the region by {y}.", "groups-upper"),
    (["prediction"], "{b} will struggle to balance its books next year",
     "{b} will struggle financially next year.", ""),
    (["criticism"], "{b} has spent more time on its own structures than on the care its patients need",
     "{b} has put its own structures before patient care.", ""),
    (["criticism"], "the reorganisation of {b} has cost far more than anyone admitted and has delivered very little",
     "The reorganisation of {b} cost more than admitted and achieved little.", ""),
    (["criticism"], "too many decisions about local services are taken by {b} without asking the people who use them",
     "{b} decides about local services without asking their users.", ""),
    (["recommendation"], "{b} should publish its plans in full before any decision is taken",
     "{b} should publish its plans before deciding.", ""),
    (["recommendation"], "family doctors should stay at the heart of every decision that {b} makes",
     "GPs should be central to the decisions of {b}.", ""),
    (["assertion"], "{b} now buys care for more than {n} people",
     "{b} commissions care for over {n} people.", "people-lower"),
    (["assertion", "estimate"], "the budget of {b} is about £{m}m this year",
     "The budget of {b} is about £{m}m.", "money"),
)

FILLERS = (
    "Local people were invited to give their views at a series of public meetings.",
    "The governing body met in public and the papers were published on its web site.",
    "Patients' groups said they had been told little about what it would mean for them.",
    "The figures were presented to the board at its last meeting.",
    "Several practices in the area said they had struggled to recruit doctors.",
    "Staff were told about the decision at a briefing on the same day.",
    "A spokesperson said that services for patients would carry on as usual.",
    "Waiting times in the area have risen steadily over the last two years.",
    "The meeting ran for almost three hours and questions from the public took up most of it.",
    "Councillors asked for a further briefing before the summer recess.",
    "Details of the timetable are expected to be published in the coming weeks.",
    "The local paper has received dozens of letters about it since the start of the year.",
    "Hospital managers declined to comment until they had seen the final figures.",
    "A full list of the practices affected is available from the practice managers' group.",
    "Campaigners held a small protest outside the headquarters on the morning of the vote.",
    "Most of the staff concerned are expected to keep their jobs.",
)
CLOSINGS = (
    "Comments are welcome by email to the editor.",
    "This article was updated to correct a date in the fourth paragraph.",
    "The papers for the meeting can be read in full on request.",
    "Further updates will follow as the story develops.",
)


class DocumentWriter:
    """Makes documents about the world's clusters: their texts (to files) and graphs (to the sink)."""

    def __init__(self, world: World, sink: QuadSink, folder: Path):
        self.world = world
        self.rng = world.rng
        self.sink = sink
        self.folder = folder
        self.count = 0

    # -- statements ------------------------------------------------------------------------------------
    def _change(self, event: Event, day: str) -> Statement:
        done = event.date <= day
        names = [o.name_on(day) for o in event.originals]
        results = [o.name_on(day) for o in event.results]
        when = f" {'on' if len(event.date) == 10 else 'in'} {spoken_date(event.date)}."
        kind = event.kind
        if kind == "merger":
            verb = "merged to form" if done else "are to merge to form"
            quote = f"{listed(names)} {verb} {listed(results)}"
            label = f"{listed(names)} merge to form {listed(results)}"
        elif kind == "split":
            quote = f"{names[0]} {'split' if done else 'is to split'} into {listed(results)}"
            label = f"{names[0]} splits into {listed(results)}"
        elif kind == "replacement":
            quote = f"{names[0]} {'was' if done else 'is to be'} replaced by {listed(results)}"
            label = f"{listed(results)} replace {names[0]}"
        elif kind == "abolition":
            quote = f"{names[0]} {'was' if done else 'is to be'} abolished"
            label = f"{names[0]} is abolished"
        elif kind == "establishment":
            quote = f"{results[0]} {'was' if done else 'is to be'} established"
            label = f"{results[0]} is established"
        elif kind == "change-of-type":
            quote = f"{names[0]} {'became' if done else 'is to become'} {listed(results)}"
            label = f"{names[0]} becomes {listed(results)}"
        elif kind == "renaming":
            quote = f"{event.old_name} {'was renamed' if done else 'is to be renamed'} {event.new_name}"
            label = f"{event.old_name} is renamed {event.new_name}"
        else:  # transfer
            body, to_parent, from_parent = (o.name_on(day) for o in (event.body, event.to_parent, event.from_parent))
            quote = f"{body} {'transferred' if done else 'is to transfer'} to {to_parent} from {from_parent}"
            label = f"{body} moves from {from_parent} to {to_parent}"
        parties = [*event.originals, *event.results] + [o for o in (event.body, event.to_parent, event.from_parent) if o]
        data = {"event": event, "status": "done" if done else "planned", "label": label}
        return Statement("change", quote + when, 0, quote, data, parties)

    def _relation(self, kind: str, overseer: Org, overseen: Org, since: str, day: str, status: str) -> Statement:
        words = {"authorises": "{a} authorised {b}", "hosts": "{a} hosts {b}",
                 "may-refer-plans-back-to": "{a} may refer plans back to {b}", "regulates": "{a} regulates {b}",
                 "commissions-from": "{a} commissions hospital care from {b}",
                 "performance-manages": "{b} was performance managed by {a}",
                 "oversees": "{b} is accountable to {a}", "advises": "{a} acts as an advisory body to {b}",
                 "delegates-to": "{a} delegated primary care commissioning to {b}"}[kind]
        if status == "proposed":
            words = {"delegates-to": "{a} could delegate primary care commissioning to {b}",
                     "hosts": "{a} could host {b}"}.get(kind, words)
        quote = words.format(a=overseer.name_on(day), b=overseen.name_on(day))
        tail = f" from {spoken_date(since)}." if kind in ("authorises", "delegates-to") else "."
        label = f"{overseer.name_on(day)} {kind.replace('-', ' ')} {overseen.name_on(day)}"
        data = {"kind": kind, "overseer": overseer, "overseen": overseen, "since": since, "status": status,
                "label": label}
        return Statement("relation", quote + tail, 0, quote, data, [overseer, overseen])

    def _claim(self, speaker: Person | None, claimant: str, about: Org, day: str, reporter: str | None) -> Statement:
        rng = self.rng
        types, words, summary, quantity = rng.choice(CLAIM_WORDS)
        n, m, y = rng.randint(2, 60) * 1000, rng.randint(2, 90), int(day[:4]) + rng.randint(1, 4)
        if quantity == "groups-upper":
            n = rng.randint(3, 12)
        fill = {"b": about.name_on(day), "n": f"{n:,}", "m": str(m), "y": str(y)}
        words, summary = words.format(**fill), summary.format(**fill)
        quantities = []
        if quantity == "money":
            quantities.append({"value": m * 1_000_000, "currency": "GBP"})
        elif quantity:
            unit, _, bound = quantity.partition("-")
            quantities.append({"value": n, "unit": {"groups": "commissioning groups"}.get(unit, unit), "bound": bound})
        mentions = [about]
        if speaker is None:                                   # the author's own words
            quote = words[0].upper() + words[1:]
            sentence, offset = quote + ".", 0
        elif rng.random() < 0.6:                              # quoted speech
            quote = words[0].upper() + words[1:]
            sentence = (f"\"{quote},\" said {speaker.spoken}, {speaker.role.replace('-', ' ')} of "
                        f"{speaker.body.name_on(day)}.")
            offset = 1
            mentions = [speaker, speaker.body, about]
        else:                                                 # reported speech
            opening = f"{speaker.spoken}, {speaker.role.replace('-', ' ')} of {speaker.body.name_on(day)}, said that "
            quote, offset = words, len(opening)
            sentence = opening + words + "."
            mentions = [speaker, speaker.body, about]
        data = {"types": types, "claimant": claimant, "reporter": reporter, "about": [about.term], "summary": summary,
                "quantities": quantities}
        if speaker is not None and speaker.body is not about:
            data["about"].append(speaker.body.term)
        return Statement("claim", sentence, offset, quote, data, mentions)

    # -- one document ----------------------------------------------------------------------------------
    def document(self, target_statements: int) -> int:
        """Write one document about a random county; returns the number of quads written."""
        rng, world = self.rng, self.world
        cluster = rng.choice(world.clusters)
        county = rng.choice(cluster.counties)
        focus = rng.choice(county.events)
        day = (datetime.date.fromisoformat(focus.date if len(focus.date) == 10 else focus.date[:7] + "-01")
               + datetime.timedelta(days=rng.randint(-150, 200))).isoformat()
        day = max(day, "1999-01-04")
        genre = rng.choice(("news-article", "news-article", "press-release", "blog-post", "board-paper",
                            "newsletter-article"))
        self.count += 1
        number = self.count
        alive = [o for o in (*county.ccgs, county.pct, county.hwb, county.trust, county.lmc, county.consortium,
                             county.pbc, *county.pcgs) if o.alive(day)]
        bodies = alive or [county.lmc]
        nation = world.nation
        # who wrote it and who published it
        local_author: Person | None = None
        if genre == "news-article":
            creator_person = rng.choice(cluster.journalists)
            creator, publisher, byline = creator_person.term, cluster.media.term, f"By {creator_person.name}"
            extra_mentions = [cluster.media]
        elif genre == "blog-post":
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            local_author = Person(world.names.unique_slug(slugify(f"{name} blog {number}")), name, "Dr")
            creator, publisher, byline = local_author.term, None, f"By {local_author.spoken}"
            extra_mentions = []
        elif genre == "newsletter-article":
            body = county.lmc if rng.random() < 0.5 or not nation.alliance.alive(day) else nation.alliance
            creator = publisher = body.term
            byline, extra_mentions = f"Newsletter of the {body.label}", [body]
        else:  # a press release or board paper comes from a body alive then
            body = rng.choice([b for b in bodies if b.cls in ("ClinicalCommissioningGroup", "PrimaryCareTrust",
                                                              "NHSTrust")] or bodies)
            creator = publisher = body.term
            byline = (f"Press release from {body.name_on(day)}" if genre == "press-release"
                      else f"Paper to the board of {body.name_on(day)}")
            extra_mentions = [body]
        reporter = creator if genre in ("news-article", "newsletter-article", "blog-post") else None
        self._said: set[tuple] = set()
        statements = [self._change(focus, day)]
        # other events it may mention: not long past, and none more than a year ahead (nobody plans further)
        pool = [e for e in county.events if e is not focus and f"{int(day[:4]) - 6}{day[4:]}" <= e.date
                and e.date <= f"{int(day[:4]) + 1}{day[4:]}"]
        speakers = [p for p in county.people if p.body.alive(day)]
        for _ in range(max(0, target_statements - 1)):
            pick = rng.random()
            if pick < 0.25 and pool:
                statements.append(self._change(pool.pop(rng.randrange(len(pool))), day))
            elif pick < 0.5:
                statement = self._oversight(cluster, county, day)
                if statement is not None:
                    statements.append(statement)
            else:
                about = rng.choice(bodies)
                if speakers and rng.random() < 0.7:
                    speaker = rng.choice(speakers)
                    statements.append(self._claim(speaker, speaker.term, about, day, reporter))
                else:
                    statements.append(self._claim(None, creator, about, day, None))
        title = self._title(focus, county)
        header = f"{title}\nDate: {spoken_date(day)}\n{byline}\n\n"
        footer = f"Copyright {day[:4]} {cluster.media.label}\n" if genre == "news-article" else ""
        text, placed = self._compose(header, statements, footer)
        raw = text.encode("utf-8")
        sha = hashlib.sha256(raw).hexdigest()
        slug = f"{day}-{slugify(title)[:48].strip('-')}-{number}"
        file_name = f"{number:06d}_{sha[:16]}.txt"
        (self.folder / file_name).write_bytes(raw)
        return self._write_graph(slug, genre, title, day, sha, file_name, creator, publisher, local_author, text,
                                 placed, extra_mentions)

    def _oversight(self, cluster: Cluster, county: County, day: str) -> Statement | None:
        rng, nation = self.rng, self.world.nation
        ccgs = [c for c in county.ccgs if c.alive(day)]
        options = []
        if ccgs:
            ccg = rng.choice(ccgs)
            options += [("authorises", nation.nhs_england, ccg, ccg.start),
                        ("may-refer-plans-back-to", county.hwb, ccg, "2013-04-01"),
                        ("commissions-from", ccg, county.trust, ccg.start),
                        ("oversees", cluster.region18 if day >= "2018" else cluster.region13, ccg, ccg.start),
                        ("advises", county.lmc, ccg, ccg.start)]
            if day >= "2014-06":
                options.append(("delegates-to", nation.nhs_england, ccg, "2015-04-01"))
        if county.pct.alive(day) and day >= "2006-07":
            options.append(("performance-manages", cluster.sha, county.pct, "2006-07-01"))
        if day >= "2013-04":
            options += [("hosts", nation.nhs_england, cluster.csu, "2013-04-01"),
                        ("hosts", nation.nhs_england, cluster.senate, "2013-04-01")]
        if nation.monitor.alive(day) and county.trust.alive(day):
            options.append(("regulates", nation.monitor, county.trust, county.trust.start))
        if not options:
            return None
        options = [o for o in options if (o[0], o[1].key, o[2].key) not in self._said]
        if not options:
            return None
        kind, overseer, overseen, since = rng.choice(options)
        self._said.add((kind, overseer.key, overseen.key))      # each relation once per document
        status = "proposed" if kind in ("delegates-to", "hosts") and since > day else "done"
        return self._relation(kind, overseer, overseen, since, day, status)

    def _title(self, event: Event, county: County) -> str:
        return {"merger": f"{county.place} commissioners merge", "split": f"{county.place} consortium splits",
                "replacement": f"New commissioners for {county.place}", "abolition": f"End of the {county.place} PCT",
                "establishment": f"{county.place} GPs take on commissioning",
                "change-of-type": f"{county.place} GPs take charge", "renaming": f"A new name in {county.place}",
                "transfer": f"{county.place} CCG changes partnership"}[event.kind]

    def _compose(self, header: str, statements: list[Statement], footer: str) -> tuple[str, list[tuple[Statement, int]]]:
        """The text: header, paragraphs of one to three statements and up to two fillers each, a closing line
        and footer; with each statement and the offset of its quote in the text."""
        rng = self.rng
        parts, length, placed = [header], len(header), []
        i = 0
        while i < len(statements):
            group = statements[i:i + rng.randint(1, 3)]
            i += len(group)
            sentences = []
            for statement in group:
                if sentences:
                    sentences.append(" ")
                    length += 1
                placed.append((statement, length + statement.offset))
                sentences.append(statement.sentence)
                length += len(statement.sentence)
            for filler in rng.sample(FILLERS, rng.choice((0, 1, 1, 2))):
                sentences.append(" " + filler)
                length += 1 + len(filler)
            sentences.append("\n\n")
            length += 2
            parts.extend(sentences)
        text = "".join(parts) + rng.choice(CLOSINGS) + "\n" + footer
        return text, placed

    # -- the document's graph -----------------------------------------------------------------------------
    def _write_graph(self, slug, genre, title, day, sha, file_name, creator, publisher, local_author, text, placed,
                     extra_mentions) -> int:
        sink = self.sink
        before = sink.count
        sink.use(document_graph(slug))
        add = sink.add
        doc = iri(ID[f"doc/{slug}"])
        add(doc, A, iri(GENRE_CLASS[genre]))
        add(doc, TITLE, english(title))
        add(doc, LABEL, english(title))
        add(doc, iri(NHSKG.sha256), plain(sha))
        add(doc, iri(NHSKG.fileName), plain(file_name))
        add(doc, DATE, date_literal(day))
        add(doc, PRECISION, precision(day))
        add(doc, iri(DCTERMS.creator), creator)
        if publisher:
            add(doc, iri(DCTERMS.publisher), publisher)
        mentioned: list[str] = []
        for org in extra_mentions + [m for statement, _ in placed for m in statement.mentions]:
            if org.term not in mentioned:
                mentioned.append(org.term)
        if local_author is not None:
            mentioned.append(local_author.term)
        for term in mentioned:
            add(doc, iri(SCHEMA.mentions), term)
        add(doc, iri(NHSKG.characterCount), integer(len(text)))
        if local_author is not None:
            self.world.entities.person(local_author, derived_from=doc)
        for n, (statement, start) in enumerate(placed, 1):
            assert text[start:start + len(statement.quote)] == statement.quote  # offsets index the text
            subject_kind = {"change": "change", "relation": "relation", "claim": "claim"}[statement.kind]
            subject = iri(ID[f"{subject_kind}/{slug}-{statement.kind}-{n}"])
            getattr(self, "_" + statement.kind + "_quads")(subject, statement, doc, day)
            self._anchor(subject, doc, text, start, statement.quote)
        return sink.count - before

    def _change_quads(self, subject: str, statement: Statement, doc: str, day: str) -> None:
        add, event, data = self.sink.add, statement.data["event"], statement.data
        add(subject, A, iri(CHANGE_CLASS[event.kind]))
        add(subject, LABEL, english(data["label"]))
        add(subject, STATUS_P, iri(STATUS[data["status"]]))
        add(subject, DATE, date_literal(event.date))
        add(subject, PRECISION, precision(event.date))
        for org in event.originals:
            add(subject, ORIGINAL, org.term)
        for org in event.results:
            add(subject, RESULTING, org.term)
        if event.body is not None:
            predicate = NHSKG.renamedOrganization if event.kind == "renaming" else NHSKG.transferredOrganization
            add(subject, iri(predicate), event.body.term)
        if event.from_parent is not None:
            add(subject, iri(NHSKG.fromParent), event.from_parent.term)
            add(subject, iri(NHSKG.toParent), event.to_parent.term)
        if event.old_name:
            add(subject, iri(NHSKG.oldName), english(event.old_name))
            add(subject, iri(NHSKG.newName), english(event.new_name))
        add(subject, SOURCE, doc)

    def _relation_quads(self, subject: str, statement: Statement, doc: str, day: str) -> None:
        add, data = self.sink.add, statement.data
        prop = iri(RELATION_PROPERTY[data["kind"]])
        if data["status"] == "done":     # as the loader: the direct triple only for what is so
            add(data["overseer"].term, prop, data["overseen"].term)
        add(subject, A, iri(NHSKG.OversightRelationship))
        add(subject, LABEL, english(data["label"]))
        add(subject, iri(NHSKG.overseer), data["overseer"].term)
        add(subject, iri(NHSKG.overseen), data["overseen"].term)
        add(subject, iri(NHSKG.relationProperty), prop)
        add(subject, STATUS_P, iri(STATUS[data["status"]]))
        add(subject, iri(SCHEMA.startDate), date_literal(data["since"]))
        add(subject, SOURCE, doc)

    def _claim_quads(self, subject: str, statement: Statement, doc: str, day: str) -> None:
        add, data = self.sink.add, statement.data
        for claim_type in data["types"]:
            add(subject, A, iri(CLAIM_CLASS[claim_type]))
        add(subject, iri(PROV.wasAttributedTo), data["claimant"])
        if data["reporter"] and data["reporter"] != data["claimant"]:
            add(subject, iri(NHSKG.reportedBy), data["reporter"])
        for about in data["about"]:
            add(subject, iri(SCHEMA.about), about)
        add(subject, iri(NHSKG.summary), english(data["summary"]))
        add(subject, LABEL, english(data["summary"]))
        add(subject, SOURCE, doc)
        add(subject, iri(SCHEMA.isBasedOn), doc)
        add(subject, DATE, date_literal(day))
        add(subject, PRECISION, precision(day))
        for i, quantity in enumerate(data["quantities"], 1):
            node = f"<{subject[1:-1]}#quantity-{i}>"
            add(subject, iri(NHSKG.namesQuantity), node)
            add(node, A, iri(SCHEMA.MonetaryAmount if "currency" in quantity else SCHEMA.QuantitativeValue))
            add(node, iri(SCHEMA.value), integer(quantity["value"], XSD.integer))
            if "currency" in quantity:
                add(node, iri(SCHEMA.currency), plain(quantity["currency"]))
            if "unit" in quantity:
                add(node, iri(SCHEMA.unitText), plain(quantity["unit"]))
            if quantity.get("bound"):
                add(node, iri(NHSKG.bound), plain(quantity["bound"]))

    def _anchor(self, subject: str, doc: str, text: str, start: int, quote: str) -> None:
        add = self.sink.add
        end = start + len(quote)
        selector_quote, selector_position = f"<{subject[1:-1]}#quote>", f"<{subject[1:-1]}#position>"
        add(subject, iri(NHSKG.quoteSelector), selector_quote)
        add(subject, iri(NHSKG.positionSelector), selector_position)
        add(subject, iri(OA.hasSelector), selector_quote)
        add(subject, iri(OA.hasSelector), selector_position)
        add(selector_quote, A, iri(OA.TextQuoteSelector))
        add(selector_quote, iri(OA.exact), plain(quote))
        add(selector_quote, iri(OA.prefix), plain(text[max(0, start - CONTEXT):start]))
        add(selector_quote, iri(OA.suffix), plain(text[end:end + CONTEXT]))
        add(selector_position, A, iri(OA.TextPositionSelector))
        add(selector_position, iri(OA.start), integer(start))
        add(selector_position, iri(OA.end), integer(end))
        for selector in (selector_quote, selector_position):
            add(selector, SOURCE, doc)


# =====================================================================================================
# Entry points
# =====================================================================================================

@dataclass
class GeneratedCorpus:
    graph: Path            # the N-Quads file (graphs entities, register and document/<slug>)
    documents: Path        # the folder of document texts
    triples: int           # quads written (all distinct)
    document_count: int
    register_triples: int  # of which in the register and entity graphs
    seconds: float


def generate(out_dir: Path, scale: int, seed: int = 0) -> GeneratedCorpus:
    """Write `graph.nq` and `documents/` under out_dir: about `scale` quads, the same bytes for the same seed."""
    if scale < 2000:
        raise ValueError(f"scale {scale} is too small: the smallest world and its documents take 2000 triples")
    began = time.perf_counter()
    out_dir = Path(out_dir)
    folder = out_dir / DOCUMENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):         # a rerun into the same folder must not leave stale documents
        old.unlink()
    rng = random.Random(seed)
    path = out_dir / GRAPH_FILE
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        sink = QuadSink(stream)
        world = World(rng, sink)
        budget = scale * REGISTER_SHARE
        while sink.count < budget:
            # small worlds get small clusters so the first one does not overshoot the budget
            world.cluster(2 if budget - sink.count < 1500 else rng.randint(3, 5))
        sink.use(GRAPH_REGISTER)
        world.register.finish()
        register_triples = sink.count
        writer = DocumentWriter(world, sink, folder)
        average = 0.0
        while True:
            left = scale - sink.count
            if left <= average / 2:
                break
            statements = rng.randint(4, 14)
            if average and left < average * 1.5:        # the last document is cut to fit
                statements = max(1, round(statements * left / average))
            written = writer.document(statements)
            average = written if not average else 0.9 * average + 0.1 * written
    return GeneratedCorpus(path, folder, sink.count, writer.count, register_triples, time.perf_counter() - began)


def parse_scale(text: str) -> int:
    """'10k' -> 10000, '1m' -> 1000000, '2500' -> 2500."""
    value = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(value[-1:], 1)
    number = value[:-1] if factor != 1 else value
    try:
        return int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a scale (a number, optionally with k or m)") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=parse_scale, required=True, help="about how many triples: 10k, 100k, 1m")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="folder for graph.nq and documents/")
    args = parser.parse_args(argv)
    try:
        result = generate(args.out, args.scale, args.seed)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{result.triples} triples ({result.register_triples} register and entities), "
          f"{result.document_count} documents in {result.seconds:.1f} s: {result.graph}, {result.documents}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
