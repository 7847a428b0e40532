"""Proposing links between bodies the documents name and entries of the official register.

Names are normalised (case, punctuation, "NHS", "CCG" and the like), compared with rapidfuzz, and a candidate
is kept only where its type fits and the register lists it around the document's date. The report is for a
curator: accepted links go into data/links.toml with the reason, and only those reach the graph.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .annotations import Annotations

# Which register types may stand for a curated body of each type.
COMPATIBLE = {
    "ClinicalCommissioningGroup": {"ClinicalCommissioningGroup"},
    "SustainabilityAndTransformationPartnership": {"SustainabilityAndTransformationPartnership", "IntegratedCareBoard"},
    "IntegratedCareBoard": {"IntegratedCareBoard", "SustainabilityAndTransformationPartnership"},
    "NHSEnglandRegion": {"NHSEnglandRegion"},
    "NHSEnglandAreaTeam": {"NHSEnglandAreaTeam"},
    "PrimaryCareTrust": {"PrimaryCareTrust"},
    "StrategicHealthAuthority": {"StrategicHealthAuthority"},
    "LocalAuthority": {"LocalAuthority"},
}
NOISE = re.compile(r"\b(nhs|ccg|clinical commissioning group|stp|sustainability and transformation (plan|partnership)|"
                   r"integrated care board|icb|england|the|of|county council|council|team|local office)\b")


def normalise(name: str) -> str:
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = NOISE.sub(" ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Proposal:
    entity: str
    entity_label: str
    register_key: str
    register_label: str
    score: float
    years: str
    date_fits: bool


def _doc_year(annotations: Annotations, record) -> int | None:
    for f in annotations.files:
        if record in f.records and f.document is not None and "date" in f.document.values:
            return int(str(f.document.values["date"])[:4])
    return None


def propose_links(annotations: Annotations, tables: dict, min_score: float = 80.0) -> list[Proposal]:
    register = [row for row in tables["bodies.csv"]]
    proposals = []
    for record in annotations.records("body"):
        if record.get("collective") or record.values["type"] not in COMPATIBLE:
            continue
        wanted = COMPATIBLE[record.values["type"]]
        names = [record.values["label"], *record.get("aliases", [])]
        year = _doc_year(annotations, record)
        for row in register:
            if not set(row["type"].split()) & wanted:
                continue
            register_names = [row["label"], *filter(None, row["aliases"].split(" | "))]
            # token_set alone calls any subset a perfect match; averaging with token_sort keeps
            # "Central Midlands" from scoring as high as "Midlands and East (Central Midlands)" does.
            score = max((fuzz.token_set_ratio(normalise(a), normalise(b)) + fuzz.token_sort_ratio(normalise(a), normalise(b))) / 2
                        for a in names for b in register_names if normalise(a) and normalise(b))
            if score < min_score:
                continue
            years = [int(y) for y in row["years"].split()]
            # Official lists are April snapshots and some start late (STPs formed in 2016 are first listed
            # in 2019), so a document up to three years before the first listing still fits.
            fits = year is None or not years or (min(years) - 3 <= year <= max(years) + 1)
            proposals.append(Proposal(record.id, record.values["label"], row["key"], row["label"], round(score, 1),
                                      row["years"], fits))
    return sorted(proposals, key=lambda p: (p.entity, not p.date_fits, -p.score, p.register_key))


def review_table(min_score: float = 80.0) -> tuple[list[str], list[list]]:
    """The review report over the project's data: each proposal with its score and the curator's decision."""
    from rdflib import Literal

    from . import resources
    from .annotations import load_annotations
    from .build import load_ontology, ontology_classes, register_tables

    annotations = load_annotations(resources.DATA_DIR, ontology_classes(load_ontology()))
    tables = register_tables(resources.DATA_DIR, None)
    if tables is None:
        from .errors import InputError
        raise InputError(str(resources.DATA_DIR / "register"), "no register: run `nhskg register --ogd DIR` first")
    accepted = {e: r.values["register"] for e, r in annotations.links().items()}
    refused = {r.values["entity"]: r.values["reason"] for r in annotations.records("unlinked")}
    rows = []
    for p in propose_links(annotations, tables, min_score):
        decision = ("accepted" if accepted.get(p.entity) == p.register_key else
                    "not linked" if p.entity in refused else
                    "other accepted" if p.entity in accepted else "to review")
        rows.append([Literal(v) for v in (p.entity, p.register_key, p.register_label, p.score,
                                          "yes" if p.date_fits else "no", decision)])
    return ["entity", "register", "registerLabel", "score", "dateFits", "decision"], rows
