"""Reading ONS and NHS ODS open-data files in their official column layouts, recognised by header.

Every file in the folder must match one layout; each row is checked (code formats, required values) and
counted, and the report says how many rows each file gave and how many were skipped and why.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

ODS_CCG = re.compile(r"^[0-9A-Z]{3}$|^[A-Z][0-9][A-Z][0-9][A-Z]$")  # 2021 CCGs have five-character codes
GSS = {"CCG": r"E38\d{6}", "AT": r"E39\d{6}", "REGION": r"E40\d{6}", "STP": r"E54\d{6}", "PCT": r"E1[67]\d{6}",
       "SHA": r"E18\d{6}", "LAD": r"[EWSN]\d{8}"}


@dataclass(frozen=True)
class Layout:
    """One official file layout: the columns that identify it, and the year its columns carry (if any)."""
    name: str
    columns: tuple[str, ...]
    description: str


def _ccg_year_layouts():
    layouts = []
    for yy in range(13, 22):
        layouts.append(Layout(f"ons-ccg-names-20{yy}", (f"CCG{yy}CD", f"CCG{yy}CDH", f"CCG{yy}NM"),
                              f"ONS CCG names and codes, April 20{yy}"))
    return layouts


LAYOUTS = [
    *_ccg_year_layouts(),
    Layout("ccg-by-year", ("YEAR_APRIL", "CCGCD_ONS", "CCGCDH_ODS", "CCGNM", "SOURCE", "NOTE"),
           "CCGs per April 2013-2021, stacked from the ONS lists and ODS eccg"),
    Layout("ccg-mergers-derived", ("LegalStartDate", "PredecessorCCG_ODS", "PredecessorCCG_ONS", "PredecessorName",
                                   "SuccessorCCG_ODS", "SuccessorCCG_ONS", "SuccessorName"),
           "CCG mergers derived from the ODS successor file (the successor file itself is what is loaded)"),
    Layout("ods-eccg", ("OrganisationCode", "Name", "NationalGrouping", "HighLevelHealthGeography", "AddressLine1",
                        "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5", "Postcode", "OpenDate",
                        "CloseDate", "OrganisationSubTypeCode", "AmendedRecordIndicator"),
           "ODS eccg: CCGs and commissioning hubs with open and close dates"),
    Layout("ods-successors", ("PredecessorCode", "SuccessorCode", "LegalStartDate"), "ODS successor records"),
    Layout("ons-ccg13-at13-cr13", ("CCG13CD", "CCG13NM", "NHSAT13CD", "NHSAT13NM", "NHSCR13CD", "NHSCR13NM"),
           "ONS CCG (2013) to NHS area team to commissioning region lookup"),
    Layout("ons-ccg18-rlo18-er18", ("CCG18CD", "CCG18NM", "NHSRLO18CD", "NHSRLO18NM", "NHSER18CD", "NHSER18NM"),
           "ONS CCG (2018) to NHS England region local office to region"),
    Layout("nhsd-ccg19-stp19-region19", ("CCG_code_ODS", "STP_code_ONS", "STP_description", "Status",
                                         "Region_code_ODS", "Region_description"),
           "NHS Digital CCG to STP to region, April 2019"),
    Layout("ons-ccg20-stp20", ("CCG20CD", "CCG20CDH", "CCG20NM", "STP20CD", "STP20NM"), "ONS CCG to STP, April 2020"),
    Layout("ons-ccg21-stp21", ("CCG21CD", "CCG21CDH", "CCG21NM", "STP21CD", "STP21NM"), "ONS CCG to STP, April 2021"),
    Layout("nhsd-ccg-ccg21-stp21-nhser21", ("CCG_UNMAPPED", "CCG21CDH", "CCG21CD", "CCG21NM", "STP21CD", "STP21CDH",
                                            "STP21NM", "NHSER21CD", "NHSER21CDH", "NHSER21NM"),
           "NHS Digital mapping of every CCG code to its 2021 CCG, STP and region"),
    Layout("ons-ccg21-lad21", ("CCG21CD", "CCG21CDH", "CCG21NM", "LAD21CD", "LAD21NM", "N_LSOA11"),
           "ONS CCG (2021) to local authority district pairs"),
    Layout("ons-icb23-names", ("ICB23CD", "ICB23NM"), "ONS Integrated Care Boards, April 2023"),
    Layout("ons-nhser24-names", ("NHSER24CD", "NHSER24NM"), "ONS NHS England regions, April 2024"),
    Layout("ons-at13-names", ("NHSAT13CD", "NHSAT13CDH_ODS", "NHSAT13NM"), "ONS NHS area teams, April 2013"),
    Layout("ons-pct12-names", ("PCO12CD", "PCO12CDO", "PCO12NM"), "ONS primary care organisations, 2012"),
    Layout("ons-pct12-sha12", ("PCO12CD", "PCO12CDO", "PCO12NM", "SHA12CD", "SHA12CDO", "SHA12NM"),
           "ONS PCT (2012) to SHA lookup"),
    Layout("ons-sha12-names", ("SHA12CD", "SHA12CDO", "SHA12NM"), "ONS Strategic Health Authorities, 2012"),
    Layout("pct12-ccg13-postcode-share", ("PCO12CD", "PCO12CDO", "PCO12NM", "CCG13CD", "CCG13CDH", "CCG13NM",
                                          "PCT_POSTCODE_PERCENT"),
           "PCT to CCG postcode shares (a secondary derivation of undocumented origin: counted, not loaded)"),
    Layout("ons-lad-all-codes", ("LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE", "UTLACD", "UTLANM", "CAUTHCD",
                                 "CAUTHNM", "RGNCD", "RGNNM", "CTRYCD", "CTRYNM", "EWCD", "EWNM", "GBCD", "GBNM",
                                 "UKCD", "UKNM", "Current", "LAD20CD", "LAD20NM"),
           "ONS local authority districts since 2011 with upper tiers"),
]


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def where(self, column: str) -> str:
        return f"{self.file}: row {self.line}, column {column}"

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def code(self, column: str, pattern: str, required: bool = True) -> str:
        value = self.get(column)
        if not value and not required:
            return ""
        if not re.fullmatch(pattern, value):
            raise InputError(self.where(column), f"{value!r} is not a valid code (expected {pattern})")
        return value


@dataclass
class OgdFile:
    path: Path
    layout: Layout
    rows: list[Row]
    used: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count


def recognise(path: Path, header: list[str]) -> Layout:
    """The layout whose columns are exactly the header's; a near miss names what is missing or unknown."""
    columns = tuple(h.strip().lstrip("\ufeff") for h in header)
    for layout in LAYOUTS:
        if set(columns) == set(layout.columns):
            return layout
    best = max(LAYOUTS, key=lambda layout: len(set(columns) & set(layout.columns)) / len(set(columns) | set(layout.columns)))
    overlap = set(columns) & set(best.columns)
    if len(overlap) >= max(2, len(best.columns) // 2):
        missing = [c for c in best.columns if c not in columns]
        unknown = [c for c in columns if c not in best.columns]
        details = "; ".join(filter(None, [f"missing column(s) {', '.join(missing)}" if missing else "",
                                          f"unknown column(s) {', '.join(unknown)}" if unknown else ""]))
        raise InputError(f"{path.name}: row 1", f"looks like '{best.name}' ({best.description}) but has {details}")
    raise InputError(f"{path.name}: row 1", "header matches no known ONS or ODS layout: " + ", ".join(columns[:8]))


def read_ogd_folder(folder: Path) -> list[OgdFile]:
    """Every CSV file of the folder, recognised by its header; a non-CSV file is ignored and reported."""
    if not folder.is_dir():
        raise InputError(str(folder), "open-data folder does not exist")
    files = []
    for path in sorted(folder.glob("*.csv")):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(str(path), f"not UTF-8 (byte {error.start})") from None
        reader = csv.reader(text.splitlines())
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path.name}: row 1", "the file is empty") from None
        layout = recognise(path, header)
        names = [h.strip().lstrip("\ufeff") for h in header]
        rows = []
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                raise InputError(f"{path.name}: row {line}", f"has {len(values)} fields, the header has {len(names)}")
            rows.append(Row(path.name, line, dict(zip(names, values))))
        files.append(OgdFile(path, layout, rows))
    if not files:
        raise InputError(str(folder), "no CSV files of open data found")
    return files
