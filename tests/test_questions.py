"""The questions users ask of the five documents, answered from the built graph."""

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from nhskg.errors import AmbiguousName
from nhskg.vocab import ID

from conftest import labels


def test_mid_cornwall_joined_mid_and_west_cornwall_in_december_2011(kg):
    table = kg.lineage("mid Cornwall")
    rows = table.records()
    assert len(rows) == 1
    row = rows[0]
    assert str(row["kind"]) == "merger"
    assert str(row["date"]) == "2011-12"
    assert str(row["results"]) == "mid and west Cornwall commissioning group"
    assert str(row["source"]).endswith("2011-12-07-bureaucrats-shall-inherit-the-nhs")


def test_lineage_is_inferred_as_transitive_predecessor(kg):
    from nhskg.vocab import NHSKG
    later = ID["org/mid-and-west-cornwall-gp-commissioning-group"]
    earlier = ID["org/mid-cornwall-gp-commissioning-group"]
    assert (later, NHSKG.hasPredecessor, earlier) in kg.dataset
    assert (earlier, NHSKG.hasSuccessor, later) in kg.dataset


def test_models_that_preceded_ccgs_in_order(kg):
    table = kg.query("commissioning-models", {"before": "Clinical Commissioning Groups"})
    assert [str(label) for label in table.column("label")] == [
        "GP fundholding", "locality commissioning", "Primary Care Groups", "Primary Care Trusts",
        "practice-based commissioning", "GP commissioning consortia"]
    acts = dict(zip(map(str, table.column("label")), map(str, table.column("abolishedUnder"))))
    assert acts["Primary Care Trusts"] == "Health and Social Care Act 2012"


def test_health_and_wellbeing_boards_may_refer_plans_back_to_ccgs(kg):
    table = kg.query("oversight", {"relation": "mayReferPlansBackTo", "overseen_class": "ClinicalCommissioningGroup"})
    assert labels(table, "overseerLabel") == {"Health and Wellbeing Boards"}
    assert all("refer plans back" in str(exact) for exact in table.column("exact"))


def test_nhs_commissioning_board_was_to_host_the_clinical_senates(kg):
    table = kg.query("oversight", {"relation": "hosts", "overseen": "clinical senates"})
    assert labels(table, "overseerLabel") == {"NHS England"}
    assert labels(table, "status") == {"proposed"}


def test_roy_lilley_predictions_come_from_the_gp_commissioning_post(kg):
    table = kg.claims(by="Roy Lilley", claim_type="prediction")
    assert len(table.rows) >= 1
    assert labels(table, "documentTitle") == {"GP Commissioning"}
    assert any("will fail" in str(exact) for exact in table.column("exact"))


def test_the_150_consortia_prediction_names_the_number(kg):
    table = kg.query("quantities", {})
    rows = [r for r in table.records() if str(r["unit"] or "") == "consortia"]
    assert [int(r["value"]) for r in rows] == [150]
    assert "150 consortia" in str(rows[0]["exact"])


def test_ian_shaw_claims(kg):
    table = kg.claims(by="Ian Shaw")
    assert len(table.rows) >= 10
    assert labels(table, "documentTitle") == {
        "Ian Shaw: Maoism in the NHS? – Reflecting on the development of Clinical Commissioning Groups (CCGs)"}
    assert labels(table, "claimantLabel") == {"Ian Shaw"}


def test_cost_of_gp_commissioning_estimated_at_two_to_three_billion_pounds(kg):
    table = kg.query("quantities", {"currency": "GBP"})
    amounts = {str(r["bound"]): int(r["value"]) for r in table.records()}
    assert amounts == {"lower": 2_000_000_000, "upper": 3_000_000_000}
    assert labels(table, "amountCurrency") == {"GBP"}


def test_stps_named_in_the_essex_piece(kg):
    table = kg.query("document-bodies", {"document": "Where did all the flowers go?",
                                         "class": "SustainabilityAndTransformationPartnership"})
    named = {str(r["body"]) for r in table.records() if str(r["collective"]) == "false"}
    # the three Essex STPs, linked to their register entries (which became ICBs in 2022)
    assert named == {str(ID[f"org/gss-{code}"]) for code in ("e54000023", "e54000025", "e54000026")}
    names = {str(n) for b in named for n in kg.dataset.objects(URIRef(b), SKOS.altLabel)}
    assert {"Hertfordshire and West Essex STP", "Mid and South Essex STP", "Suffolk and North East Essex STP"} <= names


def test_beck_and_call_bodies(kg):
    table = kg.claims(text="beck and call")
    assert len(table.rows) == 1
    claim = table.column("claim")[0]
    from nhskg.vocab import SCHEMA
    about = set(kg.dataset.objects(claim, SCHEMA.about))
    for body in ("nhs-england", "monitor", "clinical-senates", "health-and-wellbeing-boards"):
        assert ID[f"org/{body}"] in about


@pytest.mark.parametrize("name", ["NCB", "NHSNCB", "nhs commissioning board", "NHS England", "X24"])
def test_one_iri_for_the_commissioning_board(kg, name):
    assert kg.resolve(name, "body") == ID["org/nhs-england"]


def test_ambiguous_name_lists_candidates(kg):
    with pytest.raises(AmbiguousName) as error:
        kg.resolve("cornwall commissioning group", "body")
    assert len(error.value.candidates) == 3
    assert "mid Cornwall commissioning group" in str(error.value)


def test_show_gives_facts_with_their_graph(kg):
    table = kg.show("Monitor")
    graphs = {str(g) for g in table.column("graph")}
    assert "https://w3id.org/nhskg/graph/entities" in graphs
    assert any(g.startswith("https://w3id.org/nhskg/graph/document/") for g in graphs)


def test_lineage_of_a_body_without_changes_is_empty(kg):
    assert kg.lineage("Monitor").rows == []
