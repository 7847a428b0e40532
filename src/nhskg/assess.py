"""Checking claims with a measurable target against the register, and recording the assessments.

Each nhskg:Expectation names a stored query, its parameters, the column to measure, a comparison and a
target. The query runs over the built graph; the first period in which the target holds gives the verdict.
Assessments go into their own named graph, as nhskg:Assessment and schema:ClaimReview with a schema:Rating,
so ClaimsKG-style tools can read them. Nothing is hard-coded: change the register and the verdict follows.
"""

import operator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .errors import InputError
from .graph import KnowledgeGraph
from .queries import get_query
from .store import write_build
from .vocab import GRAPH_ASSESSMENTS, ID, NHSKG, SCHEMA

COMPARISONS = {"<": operator.lt, "<=": operator.le, "=": operator.eq, ">=": operator.ge, ">": operator.gt}


@dataclass
class Assessment:
    claim: URIRef
    figures: list[tuple[str, float]]
    first_held: str | None
    query: str
    parameters: dict[str, str]
    target: float
    comparison: str

    @property
    def verdict(self) -> str:
        return "true" if self.first_held is not None else "false"


def run_expectations(kg: KnowledgeGraph) -> list[Assessment]:
    results = []
    for claim, node in sorted(kg.dataset.subject_objects(NHSKG.hasExpectation)):
        value = lambda p: kg.dataset.value(node, p)  # noqa: E731
        name, period, measure = str(value(NHSKG.expectationQuery)), str(value(NHSKG.period)), str(value(NHSKG.measure))
        comparison, target = str(value(NHSKG.comparison)), float(value(NHSKG.target))
        params = dict(str(p).split("=", 1) for p in kg.dataset.objects(node, NHSKG.expectationParameter))
        table = kg.query(name, params)
        if period not in table.columns or measure not in table.columns:
            raise InputError(f"expectation of <{claim}>", f"query '{name}' has no column '{period}' or '{measure}'")
        figures = sorted((str(row[period]), float(row[measure])) for row in table.records()
                         if row[period] is not None and row[measure] is not None)
        first = next((p for p, v in figures if COMPARISONS[comparison](v, target)), None)
        results.append(Assessment(claim, figures, first, get_query(name).text, params, target, comparison))
    return results


def assessment_graph(assessments: list[Assessment]) -> Graph:
    g = Graph()
    for a in assessments:
        node = ID[f"assessment/{str(a.claim).rsplit('/', 1)[-1]}"]
        rating = URIRef(f"{node}#rating")
        figures = "; ".join(f"{p}: {v:g}" for p, v in a.figures)
        g.add((node, RDF.type, NHSKG.Assessment))
        g.add((node, RDF.type, SCHEMA.ClaimReview))
        g.add((node, SCHEMA.itemReviewed, a.claim))
        g.add((node, RDFS.label, Literal(f"assessment of {str(a.claim).rsplit('/', 1)[-1]}: {a.verdict}", lang="en")))
        g.add((node, NHSKG.verdict, Literal(a.verdict)))
        g.add((node, NHSKG.figures, Literal(figures)))
        g.add((node, NHSKG.assessmentQuery, Literal(a.query + "".join(f"# bound: {k}={v}\n"
                                                                       for k, v in sorted(a.parameters.items())))))
        g.add((node, SCHEMA.reviewBody, Literal(
            f"Target {a.comparison} {a.target:g}. Found {figures}. "
            + (f"First held in {a.first_held}." if a.first_held else "Never held in the data."), lang="en")))
        if a.first_held is not None:
            held = Literal(a.first_held, datatype=XSD.gYear) if a.first_held.isdigit() else Literal(a.first_held)
            g.add((node, NHSKG.firstHeldIn, held))
        g.add((node, SCHEMA.reviewRating, rating))
        g.add((rating, RDF.type, SCHEMA.Rating))
        g.add((rating, SCHEMA.ratingValue, Literal(5 if a.verdict == "true" else 1)))
        g.add((rating, SCHEMA.bestRating, Literal(5)))
        g.add((rating, SCHEMA.worstRating, Literal(1)))
        g.add((rating, SCHEMA.alternateName, Literal("True" if a.verdict == "true" else "False")))
        g.add((node, SKOS.note, Literal("Computed by `nhskg assess` from the register; rerun after the data changes.",
                                        lang="en")))
    return g


def assess_build(build_dir) -> list[Assessment]:
    """Run every expectation of a built graph and write the assessments into it (graph `assessments`)."""
    kg = KnowledgeGraph.open(build_dir)
    assessments = run_expectations(kg)
    graph = kg.dataset.graph(GRAPH_ASSESSMENTS)
    graph.remove((None, None, None))
    for triple in assessment_graph(assessments):
        graph.add(triple)
    write_build(kg.dataset, build_dir)
    return assessments
