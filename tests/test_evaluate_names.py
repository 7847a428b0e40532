"""Scoring of new (IRI-less) entity mentions by name in `nhskg evaluate`: the comparison form of names, the
one-to-one matching against curated entities, and what the report shows."""

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS

from nhskg import evaluate as evaluation
from nhskg.evaluate import KINDS, Report, Score, curated_names, name_keys, score_entities
from nhskg.extract import Mention

ESSEX = "https://example.org/id/org/west-essex-ccg"
DERRIFORD = "https://example.org/id/org/derriford-hospital"
PULSE = "https://example.org/id/org/pulse"


def body(label: str, text: str | None = None, iri: str | None = None, kind: str = "body") -> Mention:
    return Mention(0, len(text or label), text or label, "HealthBody", iri, label, kind)


def gold_and_names():
    gold = {ESSEX: "west-essex-ccg", DERRIFORD: "derriford-hospital", PULSE: "pulse-magazine"}
    names = {ESSEX: name_keys("NHS West Essex Clinical Commissioning Group") | name_keys("West Essex CCG"),
             DERRIFORD: name_keys("Derriford Hospital") | name_keys("Derriford"),
             PULSE: name_keys("Pulse") | name_keys("Pulse Magazine")}
    return gold, names


# -- comparison form ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, curated", [
    ("the  Derriford HOSPITAL", "Derriford Hospital"),
    ("Derriford Hospital's", "Derriford Hospital"),
    ("Derriford Hospital\u2019s", "Derriford Hospital"),
    ("Derriford Hospital.", "Derriford Hospital"),
    ("Essex LMCs'", "Essex LMCs"),
    ("NHS West Essex CCG", "West Essex CCG"),
    ("West Essex CCG", "NHS West Essex CCG"),
    ("Mid & South Essex", "Mid and South Essex"),
])
def test_variants_of_a_name_share_a_comparison_form(written, curated):
    assert name_keys(written) & name_keys(curated)


@pytest.mark.parametrize("written, curated", [
    ("NHS England", "England"),          # the prefix is optional only before two or more words
    ("Derriford", "Derriford Hospital"),  # no partial matches
    ("Mid Essex CCG", "West Essex CCG"),
])
def test_different_names_do_not_match(written, curated):
    assert not name_keys(written) & name_keys(curated)


def test_a_name_without_letters_or_digits_has_no_form():
    assert name_keys(" ... ") == frozenset()
    assert name_keys("the") == {"the"}  # a bare article is a word, not a prefix


def test_curated_names_come_from_labels_aliases_and_foaf_names_in_every_graph():
    ds = Dataset()
    entities = ds.graph(URIRef("https://example.org/graph/entities"))
    entities.add((URIRef(DERRIFORD), RDFS.label, Literal("Derriford Hospital")))
    doc = ds.graph(URIRef("https://example.org/graph/document/x"))
    doc.add((URIRef(DERRIFORD), SKOS.altLabel, Literal("Derriford")))
    doc.add((URIRef(PULSE), FOAF.name, Literal("Pulse Magazine")))
    doc.add((URIRef(PULSE), RDFS.comment, Literal("a trade weekly for GPs")))
    names = curated_names(ds, [DERRIFORD, PULSE, ESSEX])
    assert names[DERRIFORD] == {"derriford hospital", "derriford"}
    assert names[PULSE] == {"pulse magazine"}
    assert names[ESSEX] == frozenset()


# -- scoring one document ----------------------------------------------------------------------------------

def test_a_new_mention_matching_a_curated_alias_is_a_hit():
    gold, names = gold_and_names()
    score = Score("entities")
    tally = score_entities(score, "doc", gold, names, [body("Derriford hospital", "Derriford")])
    assert (score.tp, score.fp, score.fn) == (1, 0, 2)
    assert tally == {"right": 1, "wrong": 0, "already counted": 0}
    assert "doc: derriford-hospital" not in score.misses
    assert "doc: pulse-magazine" in score.misses


def test_the_text_matches_when_the_label_does_not():
    gold, names = gold_and_names()
    score = Score("entities")
    score_entities(score, "doc", gold, names, [body("Exeter-ish hospital", "the Derriford")])
    assert (score.tp, score.fp) == (1, 0)


def test_an_unmatched_new_name_is_a_false_hit_shown_as_new():
    gold, names = gold_and_names()
    score = Score("entities")
    tally = score_entities(score, "doc", gold, names, [body("Anglia Ruskin University", "ARU")])
    assert (score.tp, score.fp, score.fn) == (0, 1, 3)
    assert tally["wrong"] == 1
    assert score.false_hits == ["doc: (new) Anglia Ruskin University ('ARU')"]


def test_a_name_known_only_elsewhere_in_the_graph_is_still_a_false_hit():
    gold, names = gold_and_names()
    gold.pop(PULSE)                      # Pulse is named in the graph but not curated in this document
    score = Score("entities")
    score_entities(score, "doc", gold, names, [body("Pulse Magazine")])
    assert (score.tp, score.fp, score.fn) == (0, 1, 2)


def test_iri_and_name_hits_for_the_same_entity_count_once():
    gold, names = gold_and_names()
    score = Score("entities")
    tally = score_entities(score, "doc", gold, names,
                           [body("Pulse", iri=PULSE), body("Pulse Magazine"), body("Pulse Magazine", "Pulse")])
    assert (score.tp, score.fp, score.fn) == (1, 0, 2)
    assert tally == {"right": 0, "wrong": 0, "already counted": 1}


def test_repeated_new_mentions_of_one_name_are_one_item():
    gold, names = gold_and_names()
    score = Score("entities")
    tally = score_entities(score, "doc", gold, names, [body("Unknown Trust"), body("the unknown trust", "Unknown")])
    assert (score.tp, score.fp) == (0, 1)
    assert tally["wrong"] == 1
    assert score.false_hits == ["doc: (new) Unknown Trust ('Unknown Trust', 'Unknown')"]


def test_matching_is_one_to_one_between_new_names_and_curated_entities():
    # a name two curated entities share can stand for one of them only
    gold = {ESSEX: "west-essex-ccg", DERRIFORD: "derriford-hospital"}
    names = {ESSEX: name_keys("the group"), DERRIFORD: name_keys("the group") | name_keys("Derriford")}
    score = Score("entities")
    score_entities(score, "doc", gold, names, [body("the group")])
    assert (score.tp, score.fn) == (1, 1)
    # ... and the matching leaves the shared name to the entity no other mention can stand for
    score = Score("entities")
    score_entities(score, "doc", gold, names, [body("the group"), body("Derriford")])
    assert (score.tp, score.fp, score.fn) == (2, 0, 0)


def test_type_phrases_and_iri_scoring_are_left_as_they_were():
    gold, names = gold_and_names()
    score = Score("entities")
    mentions = [body("hospital", "hospitals", kind="type"), body("the NHS", iri="https://example.org/id/org/nhs"),
                body("Derriford Hospital", iri=DERRIFORD)]
    tally = score_entities(score, "doc", gold, names, mentions)
    assert (score.tp, score.fp, score.fn) == (1, 1, 2)
    assert score.false_hits == ["doc: the NHS ('the NHS')"]
    assert tally == {"right": 0, "wrong": 0, "already counted": 0}


def test_details_list_new_names_recognisably():
    scores = {kind: Score(kind) for kind in KINDS}
    score_entities(scores["entities"], "doc", *gold_and_names(), [body("Unknown Trust")])
    text = Report(scores, ["doc"], holdout=True).render(details=True)
    assert "entities: false hits (1)\n  + doc: (new) Unknown Trust ('Unknown Trust')" in text


# -- on the curated documents ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dataset():
    from nhskg.build import build_dataset
    return build_dataset(profile="none")


def test_holdout_scoring_by_name_finds_what_iri_scoring_cannot(dataset, corpus, monkeypatch):
    by_name = evaluation.evaluate(corpus_dir=corpus, kg=dataset, holdout=True).scores["entities"]
    monkeypatch.setattr(evaluation, "curated_names", lambda _dataset, iris: {iri: frozenset() for iri in iris})
    by_iri = evaluation.evaluate(corpus_dir=corpus, kg=dataset, holdout=True).scores["entities"]
    # the same curated entities are scored either way; names only move some from missed to found
    assert by_name.tp + by_name.fn == by_iri.tp + by_iri.fn
    assert by_name.tp > by_iri.tp
    assert set(by_name.misses) < set(by_iri.misses)
    # without names every IRI-less body or person is a false hit; with them, only those naming no curated entity
    assert by_iri.fp - by_name.fp >= by_name.tp - by_iri.tp
