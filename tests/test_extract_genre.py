"""The extraction rules on sentences written for these tests, not taken from the corpus: the same kinds of
thing the genre says (mergers, abolitions, oversight, reported speech, estimates, relative dates) in other
words, and three whole documents of our own, a press release, a board paper and a newsletter. Names of
places and bodies are invented, so only the rules can find them."""

import pytest

from nhskg.extract import extract_text, load_gazetteer

DATED = "Wednesday, 9 October 2019\n\nReshaping local commissioning\n\n"


@pytest.fixture(scope="module")
def gaz():
    from nhskg.build import build_dataset
    return load_gazetteer(build_dataset(profile="none"))


def run(gaz, body: str, header: str = DATED):
    text = header + body
    x = extract_text(text, gaz)
    for item in x.entities + x.changes + x.oversight + x.claims:
        assert text[item.start:item.end] == item.text
    return x


def labels(mentions) -> list:
    return [m.label for m in mentions]


def only(items, **want):
    found = [i for i in items if all(getattr(i, k) == v for k, v in want.items())]
    assert len(found) == 1, f"expected one item with {want}, got {found}"
    return found[0]


# -- mergers -------------------------------------------------------------------------------------------

def test_amalgamate_with_a_set_date_is_a_planned_merger(gaz):
    x = run(gaz, "NHS Northfield CCG and NHS Southfield CCG will amalgamate in April 2020.")
    merger = only(x.changes, kind="merger")
    assert labels(merger.sources) == ["NHS Northfield CCG", "NHS Southfield CCG"]
    assert (merger.status, merger.date) == ("planned", "2020-04")


def test_joined_forces_last_year_resolves_against_the_header(gaz):
    x = run(gaz, "Last year Eastvale PCT joined forces with Westvale PCT.")
    merger = only(x.changes, kind="merger")
    assert labels(merger.sources) == ["Eastvale PCT"] and merger.into.label == "Westvale PCT"
    assert (merger.status, merger.date) == ("done", "2018")


def test_to_be_absorbed_into_names_the_result(gaz):
    x = run(gaz, "The three Harbourside CCGs are to be absorbed into NHS Harbourside and District CCG.")
    merger = only(x.changes, kind="merger")
    assert merger.into.label == "NHS Harbourside and District CCG" and merger.status == "planned"


def test_merge_to_form_across_a_date_and_creating(gaz):
    x = run(gaz, "NHS Riverside CCG and NHS Lakeside CCG merge on 1 April 2019 to form NHS Riverside and Lakeside CCG.\n\n"
                 "NHS North Wessex CCG and NHS South Wessex CCG have agreed to merge on 1 April 2021, creating NHS Wessex CCG.")
    first, second = sorted((c for c in x.changes if c.kind == "merger"), key=lambda c: c.start)
    assert first.into.label == "NHS Riverside and Lakeside CCG" and first.date == "2019-04-01"
    assert second.into.label == "NHS Wessex CCG" and second.status == "planned"


def test_a_merger_in_general_is_not_a_merger(gaz):
    x = run(gaz, "NHS England must approve any merger of CCGs. Dr Priya Nair, who chairs NHS Northfield CCG, "
                 "said the merger would save money.")
    assert x.changes == []


# -- abolitions ----------------------------------------------------------------------------------------

def test_abolitions_done_and_planned(gaz):
    x = run(gaz, "Ministers have scrapped the strategic health authorities.\n\nWestvale PCT will be wound up next March.")
    done = only(x.changes, kind="abolition", status="done")
    assert labels(done.sources) == ["Strategic Health Authorities"]
    planned = only(x.changes, kind="abolition", status="planned")
    assert labels(planned.sources) == ["Westvale PCT"] and planned.date == "2020-03"


# -- oversight -----------------------------------------------------------------------------------------

def test_accountable_to_performance_manages_and_hosted_by(gaz):
    x = run(gaz, "Each CCG is accountable to NHS England for its performance.\n\n"
                 "NHS England performance manages the CCGs.\n\n"
                 "The commissioning support unit is hosted by NHS England.")
    found = {(o.kind, o.overseer and o.overseer.label, o.overseen and o.overseen.label) for o in x.oversight}
    assert ("oversees", "NHS England", "Clinical Commissioning Groups") in found
    assert ("performance-manages", "NHS England", "Clinical Commissioning Groups") in found
    assert ("hosts", "NHS England", "Commissioning Support Units") in found


def test_regulated_and_licensed_with_the_trust_resolved(gaz):
    x = run(gaz, "Riverside Community Health NHS Trust is regulated by NHS Improvement. The trust is also licensed by Monitor.")
    regulated = only(x.oversight, kind="regulates")
    assert (regulated.overseer.label, regulated.overseen.label) == ("NHS Improvement", "Riverside Community Health NHS Trust")
    licensed = only(x.oversight, kind="authorises")
    assert licensed.overseer.label == "Monitor" and licensed.overseen.label == "Riverside Community Health NHS Trust"
    assert licensed.method.endswith("+anaphor") and licensed.confidence < regulated.confidence


# -- pronouns and definite descriptions -----------------------------------------------------------------

def test_it_and_the_group_resolve_to_the_subject_body_of_the_paragraph(gaz):
    x = run(gaz, "Westvale CCG met in public on Monday. The group said it would merge with Eastvale CCG next year.")
    anaphors = [m for m in x.entities if m.method == "anaphor"]
    assert [(m.text, m.label) for m in anaphors] == [("The group", "Westvale CCG"), ("it", "Westvale CCG")]
    merger = only(x.changes, kind="merger")
    assert labels(merger.sources) == ["Westvale CCG", "Eastvale CCG"] and merger.date == "2020"
    assert merger.method == "rule:merger+anaphor" and merger.confidence < 0.6
    claim = only(x.claims, claimant="Westvale CCG")
    assert claim.method == "reported+anaphor"


def test_they_needs_a_plural_and_it_a_singular(gaz):
    x = run(gaz, "The primary care trusts had a hard year. They were abolished in April 2013.\n\n"
                 "NHS Kernow CCG met on Tuesday. It will merge with NHS Devon CCG next year.")
    resolved = {m.text: m.label for m in x.entities if m.method == "anaphor"}
    assert resolved == {"They": "Primary Care Trusts", "It": "NHS Kernow CCG"}


def test_no_antecedent_outside_the_paragraph_or_in_an_object(gaz):
    x = run(gaz, "NHS Kernow CCG met on Tuesday.\n\nIt will merge with NHS Devon CCG.\n\n"
                 "The new group will be accountable to NHS England. It will host the medicines team.")
    assert [m for m in x.entities if m.method == "anaphor"] == []
    assert not [o for o in x.oversight if o.kind == "hosts"]


def test_a_person_is_never_the_antecedent(gaz):
    x = run(gaz, "Dr Ann Lee spoke at length. It was agreed that the PCTs would merge.")
    assert all(m.kind != "person" for m in x.entities if m.method == "anaphor")


# -- reported speech -----------------------------------------------------------------------------------

def test_reported_speech_in_several_shapes(gaz):
    x = run(gaz, "Dr Priya Nair, who chairs NHS Northfield CCG, said the plan would save money.\n\n"
                 "\u201cThe PCTs were never given a fair chance,\u201d said Councillor Jo Reed.\n\n"
                 "\u201cThe CCGs need more time to prepare for delegated budgets,\u201d Jo Reed told the local paper.\n\n"
                 "According to the Nuffield Trust, the new CCGs could cost \u00a31.2bn to set up.\n\n"
                 "Sam Patel argues that the STPs lack democratic accountability.\n\n"
                 "Monitor estimates that the new CCGs will cost \u00a32m each.")
    by = {c.claimant: c for c in x.claims}
    assert by["Priya Nair"].text.startswith("Dr Priya Nair, who chairs")
    assert [c.text for c in x.claims if c.claimant == "Jo Reed"] == [
        "The PCTs were never given a fair chance", "The CCGs need more time to prepare for delegated budgets"]
    assert by["Nuffield Trust"].type == "estimate" and by["Nuffield Trust"].quantities == [
        {"value": 1200000000, "currency": "GBP"}]
    assert by["Sam Patel"].type == "criticism"
    assert by["Monitor"].quantities == [{"value": 2000000, "currency": "GBP"}]


def test_according_to_a_body_the_graph_does_not_know(gaz):
    x = run(gaz, "According to the Wessex Health Policy Unit, the CCG merger could save around \u00a34m a year.")
    claim = only(x.claims, claimant="Wessex Health Policy Unit")
    assert claim.claimant_kind == "body" and claim.type == "estimate"


# -- predictions and estimates with amounts ----------------------------------------------------------

def test_estimates_with_ranges_and_percentages(gaz):
    x = run(gaz, "The reorganisation of the CCGs is expected to cost between \u00a31.5bn and \u00a33bn.\n\n"
                 "Around 40% of the CCGs are likely to merge by 2020, the King's Fund estimates.")
    cost = only(x.claims, type="estimate", claimant="(author)")
    assert cost.quantities == [{"value": 1500000000, "currency": "GBP", "bound": "lower"},
                               {"value": 3000000000, "currency": "GBP", "bound": "upper"}]
    share = only(x.claims, claimant="King's Fund")
    assert share.quantities == [{"value": 40, "unit": "percent"}]


# -- relative dates ------------------------------------------------------------------------------------

def test_relative_dates_against_the_dated_header(gaz):
    x = run(gaz, "Eastvale CCG merged with Westvale CCG last April.\n\n"
                 "Northfield CCG will merge with Southfield CCG next April.\n\n"
                 "Harbourside PCT was abolished this week.")
    dates = sorted((c.start, c.kind, c.date) for c in x.changes)
    assert [(kind, date) for _, kind, date in dates] == [("merger", "2019-04"), ("merger", "2020-04"),
                                                         ("abolition", "2019-10")]


# -- whole documents of our own ------------------------------------------------------------------------

PRESS_RELEASE = """PRESS RELEASE

For immediate release: 3 February 2021

Two Wessex CCGs agree to combine

NHS North Wessex CCG and NHS South Wessex CCG have agreed to merge on 1 April 2021, creating NHS Wessex CCG.

\u201cOne organisation will let us plan care for the whole county,\u201d said Dr Ruth Ames, clinical chair of NHS North Wessex CCG.

The merged CCG will be accountable to NHS England and NHS Improvement.

Ends

Notes to editors
For more information contact the communications team at press@northwessexccg.nhs.uk
"""

BOARD_PAPER = """NHS Riverside Clinical Commissioning Group

Governing Body Meeting \u2013 12 September 2018

Agenda item 7: Proposed merger with NHS Lakeside CCG

Purpose of the paper

The governing body is asked to approve the proposal that NHS Riverside CCG and NHS Lakeside CCG merge on 1 April 2019 to form NHS Riverside and Lakeside CCG.

Background

NHS England must approve any merger of CCGs. Riverside Community Health NHS Trust is regulated by NHS Improvement.

Recommendation

The governing body should support the merger.
"""

NEWSLETTER = """Barsetshire LMC Newsletter

March 2016

Practices and the new STP

By Dr Alan Crewe, LMC secretary

The Barsetshire STP was published last month without any meaningful input from general practice. The LMC has written to the STP leads, and we will keep practices informed.

Barchester PCT was abolished in 2013 and its successor, NHS Barchester CCG, now commissions community services from Barset Healthcare NHS Trust.

\u201cWe cannot plan a workforce on promises,\u201d said Dr Crewe.

Barsetshire Local Medical Committee
"""


def test_press_release(gaz):
    x = run(gaz, PRESS_RELEASE, header="")
    assert (x.title, x.date, x.genre) == ("Two Wessex CCGs agree to combine", "2021-02-03", "press-release")
    assert x.publisher == "NHS North Wessex CCG" and x.author == x.publisher   # the press office's address
    merger = only(x.changes, kind="merger")
    assert (merger.status, merger.date, merger.into.label) == ("planned", "2021-04-01", "NHS Wessex CCG")
    assert only(x.claims, claimant="Ruth Ames").text.startswith("One organisation")
    assert {o.overseer.label for o in x.oversight if o.kind == "oversees"} == {"NHS England", "NHS Improvement"}
    assert only(x.claims, type="assertion").claimant == "NHS North Wessex CCG"   # the release's own voice


def test_board_paper(gaz):
    x = run(gaz, BOARD_PAPER, header="")
    assert (x.genre, x.date) == ("board-paper", "2018-09-12")
    assert x.publisher == "NHS Riverside Clinical Commissioning Group"       # the letterhead
    assert x.title == "Agenda item 7: Proposed merger with NHS Lakeside CCG"
    merger = only(x.changes, kind="merger", into=next(c.into for c in x.changes if c.into))
    assert labels(merger.sources) == ["NHS Riverside CCG", "NHS Lakeside CCG"] and merger.status == "proposed"
    assert only(x.oversight, kind="regulates").overseer.label == "NHS Improvement"
    assert only(x.claims, type="recommendation", text="The governing body should support the merger.")


def test_newsletter(gaz):
    x = run(gaz, NEWSLETTER, header="")
    assert (x.genre, x.date, x.title) == ("newsletter-article", "2016-03", "Practices and the new STP")
    assert x.publisher == "Barsetshire LMC" and x.author == "Alan Crewe"
    # "the LMC" in the LMC's own newsletter is that LMC, not another LMC the graph knows by those words
    lmc = [m for m in x.entities if m.text == "The LMC"]
    assert lmc and lmc[0].label == "Barsetshire LMC"
    assert only(x.claims, claimant="Barsetshire LMC").text.startswith("The LMC has written")
    assert only(x.claims, method="quotation").claimant == "Alan Crewe"
    assert only(x.changes, kind="abolition").date == "2013"
    assert only(x.oversight, kind="commissions-from").overseen.label == "Barset Healthcare NHS Trust"


def test_publisher_from_a_sign_off_and_from_writing_as_we(gaz):
    signed = ("Winter pressures\n\n4 January 2018\n\nThe CCGs of Barsetshire will merge next year, we hear.\n\n"
              "Issued by the Barsetshire Health Forum\n")
    assert run(gaz, signed, header="").publisher == "Barsetshire Health Forum"
    plural = ("Merger news\n\n5 May 2017\n\nThe Wessex LMC is working with the CCGs on the merger, and we will report back.\n")
    assert run(gaz, plural, header="").publisher == "Wessex LMC"
    closing = "Merger news\n\n5 May 2017\n\nThe CCGs will merge next year.\n\nWessex Local Medical Committee\n"
    assert run(gaz, closing, header="").publisher == "Wessex Local Medical Committee"
    nobody = "Merger news\n\n5 May 2017\n\nThe CCGs will merge next year, we are told.\n"
    assert run(gaz, nobody, header="").publisher is None
