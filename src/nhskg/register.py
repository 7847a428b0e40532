"""The register of English NHS commissioning bodies, derived by this project from ONS and ODS open data.

`derive_register` turns the official files (see ogd.py) into a compact register: bodies with their codes,
names and dates, GSS codes with the years they were valid, dated memberships (CCG in area team, STP,
region; PCT in SHA) and changes (CCG mergers from the ODS successor records; CCGs into ICBs and sub-ICB
locations in 2022; STPs becoming ICBs). `write_register` / `read_register` keep it as sorted CSV in
data/register/, and `register_graph` turns it into RDF.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .errors import InputError
from .ogd import GSS, ODS_CCG, OgdFile, read_ogd_folder
from .store import atomic_write
from .vocab import ID, NHSKG, ORG, SCHEMA, mint

OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
CCG_END = "2022-06-30"
ICB_START = "2022-07-01"
REGISTER_FILES = ("bodies.csv", "codes.csv", "memberships.csv", "changes.csv")


@dataclass
class Body:
    key: str
    type: str
    label: str = ""
    aliases: set = field(default_factory=set)
    ods: str = ""
    start: str = ""
    end: str = ""
    parent: str = ""
    years: set = field(default_factory=set)
    names_by_year: dict = field(default_factory=dict)


@dataclass
class Register:
    bodies: dict = field(default_factory=dict)            # key -> Body
    codes: dict = field(default_factory=lambda: defaultdict(set))        # (key, gss) -> years
    memberships: dict = field(default_factory=lambda: defaultdict(set))  # (member, organisation) -> years
    changes: dict = field(default_factory=dict)           # id -> dict
    report: list = field(default_factory=list)            # (file, layout, rows, used, skipped reasons)

    def body(self, key: str, type_: str) -> Body:
        if key not in self.bodies:
            self.bodies[key] = Body(key, type_)
        return self.bodies[key]


def ods_key(code: str) -> str:
    return "ods-" + code.lower()


def gss_key(code: str) -> str:
    return "gss-" + code.lower()


def _day_before(iso: str) -> str:
    return (datetime.date.fromisoformat(iso) - datetime.timedelta(days=1)).isoformat()


def _name(body: Body, year: int, name: str, where: str, seen: dict) -> None:
    """Record a body's name in a year; two different names for one code in one file and year is an error."""
    name = " ".join(name.split())
    previous = seen.get((body.key, year))
    if previous is not None and previous != name:
        raise InputError(where, f"a second name for {body.ods or body.key} in {year}: {name!r} (already {previous!r})")
    seen[(body.key, year)] = name
    body.names_by_year.setdefault(year, name)
    body.years.add(year)


def derive_register(folder: Path) -> Register:
    files = read_ogd_folder(folder)
    by_layout: dict[str, list[OgdFile]] = defaultdict(list)
    for f in files:
        by_layout[f.layout.name].append(f)
    register = Register()
    ccg_gss_year: dict[tuple[str, int], str] = {}  # (gss, year) -> ods

    # --- CCGs, their names and GSS codes per year -------------------------------------------------------
    for f in files:
        if not f.layout.name.startswith("ons-ccg-names-"):
            continue
        year = int(f.layout.name[-4:])
        yy = str(year)[2:]
        seen: dict = {}
        for row in f.rows:
            ods = row.code(f"CCG{yy}CDH", ODS_CCG.pattern)
            gss = row.code(f"CCG{yy}CD", GSS["CCG"])
            body = register.body(ods_key(ods), "ClinicalCommissioningGroup")
            body.ods = ods
            _name(body, year, row.get(f"CCG{yy}NM"), row.where(f"CCG{yy}NM"), seen)
            register.codes[(body.key, gss)].add(year)
            ccg_gss_year[(gss, year)] = ods
            f.used += 1
    for f in by_layout["ccg-by-year"]:
        seen = {}
        for row in f.rows:
            year = int(row.code("YEAR_APRIL", r"20(1[3-9]|2[01])"))
            ods = row.code("CCGCDH_ODS", ODS_CCG.pattern)
            body = register.body(ods_key(ods), "ClinicalCommissioningGroup")
            body.ods = ods
            _name(body, year, row.get("CCGNM"), row.where("CCGNM"), seen)
            gss = row.code("CCGCD_ONS", GSS["CCG"], required=False)
            if gss:
                register.codes[(body.key, gss)].add(year)
                ccg_gss_year.setdefault((gss, year), ods)
                f.used += 1
            else:
                f.used += 1
                f.skip("GSS code left blank upstream (the code changed that year); the row's other facts kept")
    ccg_codes = {b.ods for b in register.bodies.values() if b.type == "ClinicalCommissioningGroup"}

    open_dates: dict[str, str] = {}
    close_dates: dict[str, str] = {}
    for f in by_layout["ods-eccg"]:
        for row in f.rows:
            if row.get("OrganisationSubTypeCode") != "C":
                f.skip("not a CCG (commissioning hub)")
                continue
            ods = row.code("OrganisationCode", ODS_CCG.pattern)
            if ods not in ccg_codes:
                raise InputError(row.where("OrganisationCode"), f"CCG {ods} is in no ONS list of CCGs")
            opened = row.code("OpenDate", r"\d{4}-\d{2}-\d{2}")
            open_dates[ods] = min(opened, open_dates.get(ods, opened))
            closed = row.code("CloseDate", r"\d{4}-\d{2}-\d{2}", required=False)
            if closed:
                close_dates[ods] = closed
            f.used += 1

    # --- CCG mergers from the ODS successor records -------------------------------------------------------
    mergers: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in by_layout["ods-successors"]:
        for row in f.rows:
            before, after = row.get("PredecessorCode"), row.get("SuccessorCode")
            if before not in ccg_codes or after not in ccg_codes:
                f.skip("not a succession between two CCGs")
                continue
            date = row.code("LegalStartDate", r"\d{4}-\d{2}-\d{2}")
            if before == after:
                raise InputError(row.where("SuccessorCode"), f"{before} succeeds itself")
            mergers[(after, date)].append(before)
            f.used += 1
    for (after, date), befores in sorted(mergers.items()):
        register.changes[f"ccg-merger-{date[:4]}-{after.lower()}"] = {
            "kind": "merger", "date": date, "from": sorted(ods_key(b) for b in befores), "into": [ods_key(after)],
            "body": "", "from_type": "", "to_type": "", "source": "ods-successors",
            "label": f"{len(befores)} CCGs merge into {after}"}

    # --- lifespans of CCGs ---------------------------------------------------------------------------------
    ends = {b: _day_before(date) for (after, date), befores in mergers.items() for b in befores}
    starts = {after: date for (after, date) in mergers}
    for body in register.bodies.values():
        if body.type != "ClinicalCommissioningGroup":
            continue
        body.start = open_dates.get(body.ods) or starts.get(body.ods) or f"{min(body.years)}-04-01"
        if body.ods in ends:
            body.end = ends[body.ods]
        elif 2021 in body.years:
            body.end = CCG_END
        else:
            body.end = close_dates.get(body.ods, f"{max(body.years) + 1}-03-31")

    # --- regions, area teams, STPs and ICBs --------------------------------------------------------------
    region_ods_to_gss: dict[str, str] = {}

    def region(gss: str, name: str, year: int, ods: str = "") -> Body:
        body = register.body(gss_key(gss), "NHSEnglandRegion")
        body.parent = "nhs-england"
        body.names_by_year.setdefault(year, name)
        body.years.add(year)
        register.codes[(body.key, gss)].add(year)
        if ods:
            body.ods = ods
            region_ods_to_gss[ods] = gss
        return body

    def team(gss: str, name: str, year: int, ods: str = "") -> Body:
        body = register.body(gss_key(gss), "NHSEnglandAreaTeam")
        body.names_by_year.setdefault(year, name)
        body.years.add(year)
        register.codes[(body.key, gss)].add(year)
        if ods:
            body.ods = ods
        return body

    def stp(gss: str, name: str, year: int, ods: str = "") -> Body:
        body = register.body(gss_key(gss), "SustainabilityAndTransformationPartnership")
        body.names_by_year.setdefault(year, name)
        body.years.add(year)
        register.codes[(body.key, gss)].add(year)
        if ods:
            body.ods = ods
        return body

    def ccg_in(year: int, ods: str, where: str) -> str:
        if ods not in ccg_codes or year not in register.bodies[ods_key(ods)].years:
            raise InputError(where, f"names CCG {ods}, which is not in the register for {year}")
        return ods_key(ods)

    for f in by_layout["nhsd-ccg-ccg21-stp21-nhser21"]:
        for row in f.rows:
            region(row.code("NHSER21CD", GSS["REGION"]), row.get("NHSER21NM"), 2021, row.code("NHSER21CDH", r"Y\d{2}"))
    for f in by_layout["ons-at13-names"]:
        for row in f.rows:
            team(row.code("NHSAT13CD", GSS["AT"]), row.get("NHSAT13NM"), 2013, row.code("NHSAT13CDH_ODS", r"Q\d{2}"))
            f.used += 1
    # The 2013 and 2018 ONS lookups have one shape: CCG (by GSS code) -> area team or local office -> region.
    for layout, year, (ccg_col, team_col, team_name, region_col, region_name) in (
            ("ons-ccg13-at13-cr13", 2013, ("CCG13CD", "NHSAT13CD", "NHSAT13NM", "NHSCR13CD", "NHSCR13NM")),
            ("ons-ccg18-rlo18-er18", 2018, ("CCG18CD", "NHSRLO18CD", "NHSRLO18NM", "NHSER18CD", "NHSER18NM"))):
        for f in by_layout[layout]:
            for row in f.rows:
                gss = row.code(ccg_col, GSS["CCG"])
                if (gss, year) not in ccg_gss_year:
                    raise InputError(row.where(ccg_col), f"names CCG {gss}, which is not in the register for {year}")
                ccg = ods_key(ccg_gss_year[(gss, year)])
                area = team(row.code(team_col, GSS["AT"]), row.get(team_name), year)
                er = region(row.code(region_col, GSS["REGION"]), row.get(region_name), year)
                for member, organisation in ((ccg, area.key), (ccg, er.key), (area.key, er.key)):
                    register.memberships[(member, organisation)].add(year)
                f.used += 1
    for f in by_layout["nhsd-ccg19-stp19-region19"]:
        for row in f.rows:
            ccg = ccg_in(2019, row.code("CCG_code_ODS", ODS_CCG.pattern), row.where("CCG_code_ODS"))
            partnership = stp(row.code("STP_code_ONS", GSS["STP"]), row.get("STP_description"), 2019)
            region_ods = row.code("Region_code_ODS", r"Y\d{2}")
            if region_ods not in region_ods_to_gss:
                raise InputError(row.where("Region_code_ODS"), f"region {region_ods} has no GSS code in the register")
            er = region(region_ods_to_gss[region_ods], row.get("Region_description"), 2019, region_ods)
            for member, organisation in ((ccg, partnership.key), (ccg, er.key), (partnership.key, er.key)):
                register.memberships[(member, organisation)].add(2019)
            f.used += 1
    for f in by_layout["ons-ccg20-stp20"]:
        for row in f.rows:
            ccg = ccg_in(2020, row.code("CCG20CDH", ODS_CCG.pattern), row.where("CCG20CDH"))
            partnership = stp(row.code("STP20CD", GSS["STP"]), row.get("STP20NM"), 2020)
            register.memberships[(ccg, partnership.key)].add(2020)
            f.used += 1
    for f in by_layout["ons-ccg21-stp21"]:
        for row in f.rows:
            ccg = ccg_in(2021, row.code("CCG21CDH", ODS_CCG.pattern), row.where("CCG21CDH"))
            partnership = stp(row.code("STP21CD", GSS["STP"]), row.get("STP21NM"), 2021)
            register.memberships[(ccg, partnership.key)].add(2021)
            f.used += 1
    ccg21_stp: dict[str, tuple[str, str]] = {}
    for f in by_layout["nhsd-ccg-ccg21-stp21-nhser21"]:
        for row in f.rows:
            if row.get("CCG_UNMAPPED") != row.get("CCG21CDH"):
                ccg_in(2021, row.code("CCG21CDH", ODS_CCG.pattern), row.where("CCG21CDH"))
                f.used += 1
                continue  # a CCG of earlier years mapped to its 2021 successor: the mergers say this already
            ccg = ccg_in(2021, row.code("CCG21CDH", ODS_CCG.pattern), row.where("CCG21CDH"))
            stp_gss = row.code("STP21CD", GSS["STP"])
            partnership = stp(stp_gss, row.get("STP21NM"), 2021, row.code("STP21CDH", r"Q[A-Z0-9]{2}"))
            er = region(row.code("NHSER21CD", GSS["REGION"]), row.get("NHSER21NM"), 2021)
            for member, organisation in ((ccg, partnership.key), (ccg, er.key), (partnership.key, er.key)):
                register.memberships[(member, organisation)].add(2021)
            ccg21_stp[ccg] = (stp_gss, row.get("CCG21NM"))
            f.used += 1
    for f in by_layout["ons-nhser24-names"]:
        for row in f.rows:
            region(row.code("NHSER24CD", GSS["REGION"]), row.get("NHSER24NM"), 2024)
            f.used += 1

    # --- ICBs (2023) and the change of 1 July 2022 ---------------------------------------------------------
    icbs = set()
    for f in by_layout["ons-icb23-names"]:
        for row in f.rows:
            gss = row.code("ICB23CD", GSS["STP"])
            key = gss_key(gss)
            if key in register.bodies:
                body = register.bodies[key]
                register.changes[f"stp-becomes-icb-{gss.lower()}"] = {
                    "kind": "change-of-type", "date": ICB_START, "from": [], "into": [], "body": key,
                    "from_type": "SustainabilityAndTransformationPartnership", "to_type": "IntegratedCareBoard",
                    "source": "ons-icb23-names", "label": f"{body.names_by_year[max(body.names_by_year)]} STP "
                                                         f"becomes an Integrated Care Board, keeping its code"}
                body.type = "SustainabilityAndTransformationPartnership IntegratedCareBoard"
            else:
                body = register.body(key, "IntegratedCareBoard")
                body.start = ICB_START
            body.names_by_year[2023] = row.get("ICB23NM")
            body.years.add(2023)
            register.codes[(key, gss)].add(2023)
            icbs.add(key)
            f.used += 1
    for ccg, (stp_gss, _) in sorted(ccg21_stp.items()):
        icb = gss_key(stp_gss)
        if icb not in icbs:
            continue
        ods = register.bodies[ccg].ods
        sub = register.body(f"sub-icb-{ods.lower()}", "SubICBLocation")
        sub.parent = icb
        sub.start = ICB_START
        sub.names_by_year[2023] = f"{register.bodies[icb].names_by_year[2023]} - {ods}"
        register.changes[f"ccg-into-icb-{ods.lower()}"] = {
            "kind": "change-of-type", "date": ICB_START, "from": [ccg], "into": sorted([icb, sub.key]), "body": "",
            "from_type": "", "to_type": "", "source": "nhsd-ccg-ccg21-stp21-nhser21",
            "label": f"CCG {ods} is abolished; its functions pass to its ICB, its area becomes sub-ICB location {ods}"}

    # --- PCTs and SHAs of 2012 -------------------------------------------------------------------------------
    for f in by_layout["ons-sha12-names"]:
        for row in f.rows:
            body = register.body(ods_key(row.code("SHA12CDO", r"Q3\d")), "StrategicHealthAuthority")
            body.ods = row.get("SHA12CDO")
            body.names_by_year[2012] = row.get("SHA12NM")
            body.years.add(2012)
            body.start, body.end = "2006-07-01", "2013-03-31"
            register.codes[(body.key, row.code("SHA12CD", GSS["SHA"]))].add(2012)
            f.used += 1
    for f in by_layout["ons-pct12-names"]:
        seen = {}
        for row in f.rows:
            ods = row.code("PCO12CDO", r"5[A-Z0-9]{2}|T[A-Z0-9]{2}")
            body = register.body(ods_key(ods), "PrimaryCareTrust")
            body.ods = ods
            body.end = "2013-03-31"
            _name(body, 2012, row.get("PCO12NM"), row.where("PCO12NM"), seen)
            register.codes[(body.key, row.code("PCO12CD", GSS["PCT"]))].add(2012)
            f.used += 1
    for f in by_layout["ons-pct12-sha12"]:
        for row in f.rows:
            pct, sha = ods_key(row.get("PCO12CDO")), ods_key(row.get("SHA12CDO"))
            for key, column in ((pct, "PCO12CDO"), (sha, "SHA12CDO")):
                if key not in register.bodies:
                    raise InputError(row.where(column), f"names {row.get(column)!r}, which is not in the register")
            register.memberships[(pct, sha)].add(2012)
            f.used += 1

    # --- local authorities (England) ---------------------------------------------------------------------------
    for f in by_layout["ons-lad-all-codes"]:
        for row in f.rows:
            code = row.code("LADCD", GSS["LAD"])
            if not code.startswith("E"):
                f.skip("not in England")
                continue
            body = register.body(gss_key(code), "LocalAuthority")
            body.names_by_year[0] = row.get("LADNM")
            register.codes[(body.key, code)].add(0)
            upper = row.get("UTLACD")
            if upper and upper != code and upper.startswith("E10"):
                county = register.body(gss_key(upper), "LocalAuthority")
                county.names_by_year[0] = row.get("UTLANM")
                register.codes[(county.key, upper)].add(0)
            f.used += 1

    for name in ("ccg-mergers-derived", "pct12-ccg13-postcode-share", "ons-ccg21-lad21"):
        for f in by_layout[name]:
            reason = {"ccg-mergers-derived": "a derived copy of the ODS successor records, which are loaded instead",
                      "pct12-ccg13-postcode-share": "an unofficial derivation of undocumented origin",
                      "ons-ccg21-lad21": "CCG to local authority overlaps are not modelled yet"}[name]
            f.skip(reason, len(f.rows))

    _finish(register)
    for f in files:
        register.report.append((f.path.name, f.layout.name, len(f.rows), f.used, dict(sorted(f.skipped.items()))))
    return register


def _finish(register: Register) -> None:
    """Labels from the latest name, the other names as aliases."""
    for body in register.bodies.values():
        names = [n for _, n in sorted(body.names_by_year.items())]
        # ODS lists names in capitals; the latest name in ordinary case reads better as the label.
        cased = [n for n in names if not n.isupper()]
        body.label = (cased or names)[-1]
        names = [n for n in names if n != body.label] + [body.label]
        lower = {body.label.lower()}
        for name in names[:-1]:
            if name.lower() not in lower:
                body.aliases.add(name)
                lower.add(name.lower())


# -- the compact register as CSV ---------------------------------------------------------------------------

def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows))
    return buffer.getvalue()


def _years(years) -> str:
    return " ".join(str(y) for y in sorted(years) if y)


def register_texts(register: Register) -> dict[str, str]:
    return {
        "bodies.csv": _csv(["key", "type", "label", "aliases", "ods", "start", "end", "parent", "years"],
                           [[b.key, b.type, b.label, " | ".join(sorted(b.aliases)), b.ods, b.start, b.end, b.parent,
                             _years(b.years)] for b in register.bodies.values()]),
        "codes.csv": _csv(["key", "gss", "years"], [[k, g, _years(y)] for (k, g), y in register.codes.items()]),
        "memberships.csv": _csv(["member", "organisation", "years"],
                                [[m, o, _years(y)] for (m, o), y in register.memberships.items()]),
        "changes.csv": _csv(["id", "kind", "date", "from", "into", "body", "from_type", "to_type", "source", "label"],
                            [[i, c["kind"], c["date"], " ".join(c["from"]), " ".join(c["into"]), c["body"],
                              c["from_type"], c["to_type"], c["source"], c["label"]]
                             for i, c in register.changes.items()]),
    }


def write_register(register: Register, out_dir: Path) -> list[Path]:
    paths = []
    for name, text in register_texts(register).items():
        atomic_write(out_dir / name, text)
        paths.append(out_dir / name)
    return paths


def read_register_rows(directory: Path) -> dict[str, list[dict]]:
    tables = {}
    for name in REGISTER_FILES:
        path = directory / name
        if not path.is_file():
            raise InputError(str(path), "register file missing (regenerate with `nhskg register --ogd DIR`)")
        tables[name] = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    return tables


def tables_from_register(register: Register) -> dict[str, list[dict]]:
    return {name: list(csv.DictReader(text.splitlines())) for name, text in register_texts(register).items()}


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def register_graph(tables: dict[str, list[dict]]) -> Graph:
    """The register as RDF: bodies, GSS codes by year, dated memberships and changes."""
    g = Graph()
    body_iri = lambda key: ID[f"org/{key}"]  # noqa: E731 - one rule, used throughout
    for row in tables["bodies.csv"]:
        body = body_iri(row["key"])
        for class_name in row["type"].split():
            g.add((body, RDF.type, NHSKG[class_name]))
        g.add((body, RDFS.label, Literal(row["label"], lang="en")))
        g.add((body, SKOS.prefLabel, Literal(row["label"], lang="en")))
        for alias in filter(None, row["aliases"].split(" | ")):
            g.add((body, SKOS.altLabel, Literal(alias, lang="en")))
        if row["ods"]:
            g.add((body, NHSKG.odsCode, Literal(row["ods"])))
        if row["start"]:
            g.add((body, SCHEMA.foundingDate, _date(row["start"])))
        if row["end"]:
            g.add((body, SCHEMA.dissolutionDate, _date(row["end"])))
        if row["parent"]:
            g.add((body, ORG.subOrganizationOf, mint("body", row["parent"]) if not row["parent"].startswith(("gss-", "ods-"))
                   else body_iri(row["parent"])))
        for year in row["years"].split():
            g.add((body, NHSKG.validInYear, Literal(year, datatype=XSD.gYear)))
        g.add((body, DCTERMS.source, ID["dataset/ons-ods-register"]))
    for row in tables["codes.csv"]:
        body = body_iri(row["key"])
        gss = row["gss"]
        geography = URIRef(GEOGRAPHY + gss)
        assignment = URIRef(f"{body}#gss-{gss.lower()}")
        g.add((body, NHSKG.gssCode, Literal(gss)))
        g.add((body, NHSKG.statisticalGeography, geography))
        g.add((body, NHSKG.hasCodeAssignment, assignment))
        g.add((assignment, RDF.type, NHSKG.CodeAssignment))
        g.add((assignment, NHSKG.gssCode, Literal(gss)))
        g.add((assignment, NHSKG.statisticalGeography, geography))
        for year in row["years"].split():
            g.add((assignment, NHSKG.validInYear, Literal(year, datatype=XSD.gYear)))
    for row in tables["memberships.csv"]:
        membership = ID[f"membership/{row['member']}--{row['organisation']}"]
        g.add((membership, RDF.type, NHSKG.RegisterMembership))
        g.add((membership, ORG.member, body_iri(row["member"])))
        g.add((membership, ORG.organization, body_iri(row["organisation"])))
        for year in row["years"].split():
            g.add((membership, NHSKG.validInYear, Literal(year, datatype=XSD.gYear)))
    kinds = {"merger": NHSKG.Merger, "change-of-type": NHSKG.ChangeOfType}
    for row in tables["changes.csv"]:
        change = ID[f"change/{row['id']}"]
        g.add((change, RDF.type, kinds[row["kind"]]))
        g.add((change, RDFS.label, Literal(row["label"], lang="en")))
        g.add((change, DCTERMS.date, _date(row["date"])))
        g.add((change, NHSKG.datePrecision, NHSKG.precisionDay))
        g.add((change, NHSKG.status, NHSKG.statusDone))
        g.add((change, DCTERMS.source, ID[f"dataset/{row['source']}"]))
        for key in row["from"].split():
            g.add((change, ORG.originalOrganization, body_iri(key)))
        for key in row["into"].split():
            g.add((change, ORG.resultingOrganization, body_iri(key)))
        if row["body"]:
            g.add((change, NHSKG.retypedOrganization, body_iri(row["body"])))
            g.add((change, NHSKG.fromType, NHSKG[row["from_type"]]))
            g.add((change, NHSKG.toType, NHSKG[row["to_type"]]))
    for dataset in sorted({row["source"] for row in tables["changes.csv"]} | {"ons-ods-register"}):
        node = ID[f"dataset/{dataset}"]
        g.add((node, RDF.type, NHSKG.OpenDataset))
        g.add((node, RDFS.label, Literal(f"{dataset} (ONS / NHS ODS open data, via the nhskg register)", lang="en")))
        g.add((node, DCTERMS.license, OGL))
    return g


def register_report_lines(register: Register) -> list[str]:
    lines = []
    for name, layout, rows, used, skipped in register.report:
        lines.append(f"{name}: {layout}: {rows} rows, {used} used"
                     + "".join(f"; {count} skipped: {reason}" for reason, count in skipped.items()))
    return lines
