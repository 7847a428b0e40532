"""Names the graph has never seen: bodies, people and abbreviations written the ways the genre writes them,
each in several phrasings of our own, with the places and people invented (Barsetshire, Loamshire,
Casterbridge ...) so that only the rules can find them; sentences that must give no new body; and a document
of repeated prose paragraphs, whose claims must grow with the repeats."""

import pytest

from nhskg.extract import extract_text, load_gazetteer

# Methods of the rules that find names the gazetteer does not hold (what these tests are about).
NEW_NAME_METHODS = {"org-head", "place-head", "nhs-place", "web-name", "short-name", "abbreviation-defined",
                    "person-pattern", "person-role", "person-attribution"}


@pytest.fixture(scope="module")
def gaz():
    from nhskg.build import build_dataset
    return load_gazetteer(build_dataset(profile="none"))


def run(gaz, body: str, date: str = "Tuesday, 14 March 2017"):
    text = f"{date}\n\nLocal news\n\n{body}" if date else body
    x = extract_text(text, gaz)
    for item in x.entities + x.changes + x.oversight + x.claims:
        assert text[item.start:item.end] == item.text
    return x


def new_names(x) -> list:
    return [m for m in x.entities if m.method in NEW_NAME_METHODS]


def named(x, label: str):
    found = [m for m in x.entities if m.label == label]
    assert found, f"no mention labelled {label!r} in {[(m.text, m.label, m.method) for m in x.entities]}"
    return found[0]


# -- bodies with an organisation head ---------------------------------------------------------------------

@pytest.mark.parametrize("sentence, label, cls", [
    ("Loamshire and Borsetshire Clinical Commissioning Group has voted to join its neighbour.",
     "Loamshire and Borsetshire Clinical Commissioning Group", "ClinicalCommissioningGroup"),
    ("Last week NHS Casterbridge CCG put its plans out to consultation.", "NHS Casterbridge CCG",
     "ClinicalCommissioningGroup"),
    ("The budget was set by Polchester Primary Care Trust before it closed.", "Polchester Primary Care Trust",
     "PrimaryCareTrust"),
    ("Staff of the North Wyvern Commissioning Support Unit will transfer in April.",
     "North Wyvern Commissioning Support Unit", "CommissioningSupportUnit"),
    ("Barsetshire LMC has written to every practice about the contract.", "Barsetshire LMC", "LocalMedicalCommittee"),
    ("A letter from Greyminster Local Medical Committee reached the board on Friday.",
     "Greyminster Local Medical Committee", "LocalMedicalCommittee"),
    ("Mardale Heartlands Health and Care Partnership was formed in 2016.",
     "Mardale Heartlands Health and Care Partnership", "SustainabilityAndTransformationPartnership"),
    ("Yesterday the Midsomer Health and Wellbeing Board signed off the strategy.",
     "Midsomer Health and Wellbeing Board", "HealthAndWellbeingBoard"),
    ("Greater Budmouth Integrated Care Board takes on the duties in July.", "Greater Budmouth Integrated Care Board",
     "IntegratedCareBoard"),
    ("The Christminster Area Team will performance manage the groups.", "Christminster Area Team",
     "NHSEnglandAreaTeam"),
    ("Following the review, West Loamshire Locality was merged into its neighbour.", "West Loamshire Locality",
     "LocalityCommissioningGroup"),
    ("Barsetshire Hospitals NHS Foundation Trust objected to the tender.", "Barsetshire Hospitals NHS Foundation Trust",
     "NHSTrust"),
    ("The beds belong to Casterbridge Foundation Trust until the spring.", "Casterbridge Foundation Trust", "NHSTrust"),
    ("Polchester Hospitals NHS Trust has lost its second chief executive this year.", "Polchester Hospitals NHS Trust",
     "NHSTrust"),
    ("Public health moved to Loamshire County Council in 2013.", "Loamshire County Council", "LocalAuthority"),
    ("Greyminster City Council refused the planning application.", "Greyminster City Council", "LocalAuthority"),
    ("The Wessex Dispensing Doctors Association wrote to every member practice.", "Wessex Dispensing Doctors Association",
     "MembershipBody"),
])
def test_a_name_ending_in_an_organisation_head_is_a_new_body_of_that_kind(gaz, sentence, label, cls):
    x = run(gaz, sentence)
    m = named(x, label)
    assert (m.type, m.iri, m.kind) == (cls, None, "body")


@pytest.mark.parametrize("sentence, label", [
    ("Members of Midsomer Health and Wellbeing Board raised concerns.", "Midsomer Health and Wellbeing Board"),
    ("Under Loamshire CCG's plans two clinics would close.", "Loamshire CCG"),
    ("Plans For Casterbridge CCG Unveiled", "Casterbridge CCG"),
    ("Practices in Loamshire were told. Polchester Primary Care Trust disagreed.", "Polchester Primary Care Trust"),
])
def test_sentence_openers_headline_words_and_members_of_are_not_part_of_the_name(gaz, sentence, label):
    x = run(gaz, sentence)
    assert [m.label for m in new_names(x) if m.kind == "body"] == [label]


@pytest.mark.parametrize("sentence, label, cls", [
    ("Healthwatch Barsetshire has asked patients what they think of the walk-in centre.", "Healthwatch Barsetshire",
     "CampaignBody"),
    ("Volunteers from local Healthwatch North Loamshire visited the ward in June.", "Healthwatch North Loamshire",
     "CampaignBody"),
    ("A survey by Healthwatch England found long waits for appointments.", "Healthwatch England", "CampaignBody"),
    ("Members of the Royal College of Rural Nursing voted to reject the offer.", "Royal College of Rural Nursing",
     "MembershipBody"),
    ("The Royal College of Obstetricians and Gynaecologists issued new guidance.",
     "Royal College of Obstetricians and Gynaecologists", "MembershipBody"),
    ("A fellow of the Royal College of Surgeons of Barsetshire reviewed the unit.",
     "Royal College of Surgeons of Barsetshire", "MembershipBody"),
    ("The debate was hosted by the Royal Society of Coastal Medicine last week.", "Royal Society of Coastal Medicine",
     "MembershipBody"),
    ("The National Association of Locum Pharmacists welcomed the change.", "National Association of Locum Pharmacists",
     "MembershipBody"),
    ("Yesterday the Association of Directors of Rural Care Services met in Polchester.",
     "Association of Directors of Rural Care Services", "MembershipBody"),
])
def test_a_name_whose_head_comes_first_is_a_new_body_of_that_kind(gaz, sentence, label, cls):
    x = run(gaz, sentence)
    m = named(x, label)
    assert (m.type, m.iri, m.kind, m.method) == (cls, None, "body", "org-head")
    assert not [p for p in x.entities if p.kind == "person"]      # "Rural Nursing voted": not a person


def test_a_head_first_name_ends_where_its_field_does(gaz):
    # a role, a person or a place straight after the field is not part of the name
    x = run(gaz, "The Royal College of Emergency Care chief executive Dr Ann Hill said waits were growing.")
    assert [m.label for m in new_names(x) if m.kind == "body"] == ["Royal College of Emergency Care"]
    x = run(gaz, "Staff from the Royal College of Midwifery Barsetshire branch attended the meeting.")
    assert [m.label for m in new_names(x) if m.kind == "body"] == ["Royal College of Midwifery"]
    x = run(gaz, "Healthwatch Loamshire Chair Jane Smith said the service had failed patients.")
    assert [m.label for m in new_names(x) if m.kind == "body"] == ["Healthwatch Loamshire"]
    # a body after "and" is a body of its own, whether the rules or the name list know it
    x = run(gaz, "The Royal College of Midwifery and Loamshire LMC wrote jointly to the CCG.")
    assert [(m.label, m.type) for m in new_names(x) if m.kind == "body"] == [
        ("Royal College of Midwifery", "MembershipBody"), ("Loamshire LMC", "LocalMedicalCommittee")]
    x = run(gaz, "The Royal College of Midwifery and British Medical Association wrote jointly.")
    assert [(m.label, m.method) for m in x.entities if m.kind == "body"] == [
        ("Royal College of Midwifery", "org-head"), ("British Medical Association", "gazetteer")]
    x = run(gaz, "NHS Casterbridge and Healthwatch Casterbridge signed the pledge together.")
    assert [(m.label, m.type) for m in new_names(x)] == [("NHS Casterbridge", "ClinicalCommissioningGroup"),
                                                         ("Healthwatch Casterbridge", "CampaignBody")]


def test_a_head_first_body_can_make_a_claim(gaz):
    x = run(gaz, "Healthwatch Loamshire said the CCG had failed patients in the north of the county.")
    assert [(c.claimant, c.type) for c in x.claims] == [("Healthwatch Loamshire", "criticism")]
    x = run(gaz, "The Royal College of Rural Nursing said Loamshire CCG must publish its plans.")
    assert [c.claimant for c in x.claims] == ["Royal College of Rural Nursing"]


def test_nhs_and_a_place_is_typed_by_the_documents_date(gaz):
    sentence = "NHS Barsetshire and NHS Casterbridge have agreed to share a chief executive."
    for date, cls in (("Monday, 5 May 2008", "PrimaryCareTrust"), ("Monday, 6 June 2016", "ClinicalCommissioningGroup"),
                      ("Monday, 4 September 2023", "IntegratedCareBoard")):
        x = run(gaz, sentence, date)
        assert [(m.label, m.type) for m in new_names(x)] == [("NHS Barsetshire", cls), ("NHS Casterbridge", cls)]
    x = run(gaz, "NHS Loamshire will consult the public.", date=None)
    assert [(m.label, m.type) for m in new_names(x)] == [("NHS Loamshire", "CommissioningBody")]


def test_a_place_with_a_lower_case_head_after_a_determiner(gaz):
    x = run(gaz, "The smaller mid Loamshire organisation has joined forces with the East Barsetshire group.")
    assert [(m.label, m.type) for m in new_names(x)] == [("mid Loamshire organisation", "HealthBody"),
                                                         ("East Barsetshire group", "CommissioningBody")]
    x = run(gaz, "Patients were sent to the Casterbridge hospital while the ward was shut.")
    assert [(m.label, m.type) for m in new_names(x)] == [("Casterbridge hospital", "Hospital")]


def test_several_places_sharing_a_plural_head_are_one_body_each(gaz):
    x = run(gaz, "Beds were cut at Polchester, Budmouth and Sandbourne hospitals over the winter.")
    assert [(m.text, m.label, m.type) for m in new_names(x)] == [
        ("Polchester", "Polchester hospital", "Hospital"), ("Budmouth", "Budmouth hospital", "Hospital"),
        ("Sandbourne", "Sandbourne hospital", "Hospital")]
    x = run(gaz, "Northfield and Southfield CCGs will merge next April.")
    assert [(m.label, m.type) for m in new_names(x)] == [("Northfield CCG", "ClinicalCommissioningGroup"),
                                                         ("Southfield CCG", "ClinicalCommissioningGroup")]
    assert any(c.kind == "merger" for c in x.changes)


def test_a_constructed_name_the_register_holds_resolves_to_it(gaz):
    # "Havering and Redbridge PCTs": the register knows both PCTs, though the text never spells either name out
    x = run(gaz, "Havering and Redbridge PCTs shared a finance director.", date="Friday, 2 March 2007")
    assert all(m.iri for m in x.entities if m.text in ("Havering", "Redbridge"))
    assert {m.type for m in x.entities if m.text in ("Havering", "Redbridge")} == {"PrimaryCareTrust"}


# -- abbreviations ------------------------------------------------------------------------------------------

def test_an_abbreviation_defined_in_brackets_stands_for_the_body_afterwards(gaz):
    x = run(gaz, "The North Loamshire Clinical Commissioning Group (NLCCG) will hold the budget.\n\n"
                 "NLCCG will be accountable to NHS England for it.")
    hits = [m for m in x.entities if m.text == "NLCCG"]
    assert len(hits) == 2 and {m.label for m in hits} == {"North Loamshire Clinical Commissioning Group"}
    assert {m.type for m in hits} == {"ClinicalCommissioningGroup"}


def test_a_kind_abbreviation_defined_for_one_body_is_that_body(gaz):
    x = run(gaz, "Casterbridge Local Medical Committee (LMC) backed the move. The LMC will brief practices.")
    lmc = [m for m in x.entities if m.text.endswith("LMC")]
    assert len(lmc) == 2 and all(m.label == "Casterbridge Local Medical Committee" and not m.collective for m in lmc)
    # without the definition, "LMC" stays the kind
    x = run(gaz, "The LMC will brief practices on the contract.")
    assert all(m.label != "Casterbridge Local Medical Committee" for m in x.entities)


def test_initials_of_a_body_named_earlier(gaz):
    x = run(gaz, "Greyminster Medical University plans a new school. I am working with the team at GMU on it.")
    gmu = [m for m in x.entities if m.text == "GMU"]
    assert gmu and gmu[0].label == "Greyminster Medical University" and gmu[0].type == "University"
    # the same letters before the full name, or with no such name, are nothing
    x = run(gaz, "The team at GMU said little. Later, Greyminster Medical University wrote.")
    assert not [m for m in x.entities if m.text == "GMU"]


def test_a_source_named_in_full_then_by_its_short_name(gaz):
    x = run(gaz, "A survey by Stethoscope Magazine found that many GPs had left. One GP told Stethoscope it was hopeless.")
    short = [m for m in x.entities if m.text == "Stethoscope"]
    assert short and short[0].label == "Stethoscope Magazine" and short[0].type == "MediaOrganisation"


def test_a_web_site_named_as_a_source(gaz):
    x = run(gaz, "The sharp Jo Bloggs from commissioningnews.net makes the point in her bulletin.")
    assert [(m.label, m.type) for m in new_names(x) if m.kind == "body"] == [("commissioningnews.net", "MediaOrganisation")]
    x = run(gaz, "Write to info@commissioningnews.net or see www.commissioningnews.net/about for more.")
    assert not [m for m in new_names(x) if m.kind == "body"]


# -- people ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, name", [
    ("Dr Jane Smith, chair of NHS Casterbridge CCG, said the merger made sense.", "Jane Smith"),
    ("Sarah Brown, the clinical chair of Loamshire CCG, welcomed the decision.", "Sarah Brown"),
    ("According to Mark White, director of commissioning at the Polchester PCT, savings are expected.", "Mark White"),
    ("However Priya Shah, a GP in Budmouth, was not convinced.", "Priya Shah"),
    ("The plan was defended by accountable officer Tom Reed at the meeting.", "Tom Reed"),
    ("\u201cWe are ready for this,\u201d said Ann Hill, who leads the group.", "Ann Hill"),
    ("Clinical chair Omar Farouk said the group would not be rushed.", "Omar Farouk"),
])
def test_people_with_their_roles(gaz, sentence, name):
    x = run(gaz, sentence)
    people = [m for m in x.entities if m.kind == "person"]
    assert [m.label for m in people][:1] == [name]
    assert people[0].iri is None


def test_a_surname_that_is_also_a_month_needs_its_honorific(gaz):
    x = run(gaz, "Prime Minister Hilda May promised reform. The new groups start in May, and Mrs May will open one.")
    people = [m for m in x.entities if m.kind == "person"]
    assert [m.text for m in people] == ["Hilda May", "Mrs May"]
    assert {m.label for m in people} == {"Hilda May"}


def test_a_name_alone_under_a_quotation_is_its_speaker(gaz):
    x = run(gaz, "\u201cThe service will last as long as people fight for it\u201d\nMarjorie Quill\n\n"
                 "Commissioning has changed again this year.", date=None)
    assert [m.label for m in x.entities if m.kind == "person"] == ["Marjorie Quill"]


# -- sentences that name no body --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Tomorrow The Trust Board will decide what to do.",
    "Annual Report And Accounts 2012",
    "Plans For The New Commissioning Group Unveiled",
    "The Clinical Commissioning Group said it would respond in due course.",
    "In January the council met and the group agreed the minutes.",
    "Members of the public packed the hall on Monday.",
    "Share on Facebook | Follow us on Twitter | Cookies | Skip to content",
    "The Labour group on the council opposed the plan.",
    "Loamshire hospitals are busy this winter and Barsetshire is a large county.",
    "NHS Digital and NHS Direct published the figures in March.",
    "West Borsetshire, the director said, was a special case.",
    "March, April and May were the busiest months for the practices.",
    "Commissioning Support Units will be hosted by the new board.",
    "The royal family opened the new wing of the hospital last year.",
    "She trained at a college of further education in Loamshire before nursing.",
    "Council members said the budget was too small to keep the library open.",
    "The Royal College said it would respond to the consultation in due course.",
    "Local Healthwatch said it would respond once patients had been asked.",
    "Association football clubs raised money for the children's ward.",
    "Royal assent was given to the bill in March.",
])
def test_no_new_body_or_person_where_the_text_names_none(gaz, sentence):
    x = run(gaz, sentence)
    assert new_names(x) == [], [(m.text, m.method) for m in new_names(x)]


# -- a document of repeated prose paragraphs ------------------------------------------------------------------

POST = ("Friday, 3 February 2012\n\nCommissioning in Loamshire\n\n"
        "The new clinical commissioning groups will struggle to recruit enough GPs to their boards this year.\n\n"
        "Polchester Primary Care Trust has failed to hand over its budgets on time, which is a serious problem.\n\n"
        "\u201cWe must keep practices at the heart of this,\u201d says Dr Tessa Lamb, chair of Loamshire LMC.\n\n")


def test_claims_grow_with_the_repeats_of_a_post(gaz):
    one = extract_text(POST + "No comments:\n\nPost a comment\n\n", gaz)
    assert len(one.claims) >= 3
    repeated = extract_text((POST + "No comments:\n\nPost a comment\n\n") * 50, gaz)
    assert len(repeated.claims) == 50 * len(one.claims)


def test_readers_comments_are_skipped_until_the_next_post(gaz):
    comments = ("2 comments:\n\nThe PCT has always failed us and it will fail again, mark my words.\n\n"
                "I think the CCG should scrap the whole scheme and start again.\n\n")
    plain_post = extract_text(POST, gaz)
    with_comments = extract_text(POST + comments, gaz)
    assert len(with_comments.claims) == len(plain_post.claims)
    repeated = extract_text((POST + comments) * 50, gaz)
    assert len(repeated.claims) == 50 * len(plain_post.claims)
