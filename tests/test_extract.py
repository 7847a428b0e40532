"""Extraction from documents nobody has annotated (issue 4): the JSON shape and its offsets, rules checked on
sentences of our own that say what the genre says in other words, bad input, and the scores reached on the
five curated documents kept as floors, so that a regression fails."""

import json
import random

import pytest

from nhskg.errors import InputError
from nhskg.extract import (amounts, extract_document, extract_files, extract_text, load_gazetteer, mask_html,
                           resolve_date, to_trig)

DOC_KEYS = {"path", "sha256", "title", "date", "author", "publisher"}
KEYS = {"entities": {"text", "start", "end", "type", "iri", "label"},
        "changes": {"kind", "status", "from", "into", "date", "start", "end", "text"},
        "oversight": {"kind", "overseer", "overseen", "start", "end", "text"},
        "claims": {"type", "claimant", "about", "start", "end", "text"}}
ID = "https://w3id.org/nhskg/id/org/"


@pytest.fixture(scope="module")
def dataset():
    from nhskg.build import build_dataset
    return build_dataset(profile="none")


@pytest.fixture(scope="module")
def gaz(dataset):
    return load_gazetteer(dataset)


def check_shape(result: dict, text: str) -> None:
    assert set(result) == {"document", "entities", "changes", "oversight", "claims"}
    assert set(result["document"]) == DOC_KEYS
    for kind, keys in KEYS.items():
        for item in result[kind]:
            assert set(item) == keys, (kind, item)
            assert 0 <= item["start"] < item["end"] <= len(text)
            assert text[item["start"]:item["end"]] == item["text"], (kind, item)
    for change in result["changes"]:
        assert isinstance(change["from"], list)
    for claim in result["claims"]:
        assert claim["type"] in ("prediction", "recommendation", "estimate", "criticism", "assertion")
        assert isinstance(claim["about"], list) and claim["claimant"]
    json.dumps(result)


def one(items, **want):
    found = [i for i in items if all(i.get(k) == v for k, v in want.items())]
    assert found, f"nothing with {want} in {items}"
    return found[0]


# -- shape and offsets ---------------------------------------------------------------------------------

def test_corpus_documents_shape_and_offsets(corpus, gaz):
    for path in sorted(corpus.glob("*.txt")):
        result = extract_document(path, gaz)
        text = path.read_bytes().decode("utf-8")
        check_shape(result, text)
        assert result["document"]["sha256"] and result["entities"] and result["claims"]


def test_metadata_from_headers_bylines_and_sign_offs(corpus, gaz):
    docs = {p.name[:3]: extract_document(p, gaz)["document"] for p in sorted(corpus.glob("*.txt"))}
    assert (docs["000"]["date"], docs["000"]["title"]) == ("2011-12-07", "The bureaucrats shall inherit the NHS")
    assert docs["003"]["date"] == "2017-01-23" and docs["003"]["author"] == "Brian Balmer"
    assert docs["004"]["date"] == "2011-06-20" and docs["004"]["publisher"] == "NHS Alliance"
    assert docs["002"]["author"] == "Ian Shaw"
    text = "Posted on 3 March 2015 by Sam Jones\n\nCCG chiefs meet\n\nThe CCGs of Kent will merge, the groups said."
    doc = extract_text(text, gaz).to_json()["document"]
    assert (doc["date"], doc["author"]) == ("2015-03-03", "Sam Jones")
    signed = "Merger talks\n\nThe PCTs in Devon will merge next year and the CCG will follow.\n\nJo Bloggs, March 2012\n"
    doc = extract_text(signed, gaz).to_json()["document"]
    assert (doc["title"], doc["author"], doc["date"]) == ("Merger talks", "Jo Bloggs", "2012-03")


def test_non_breaking_spaces_and_curly_quotes_do_not_shift(gaz):
    text = ("Monday, 2 May 2016\n\nLocal boards\n\n\u201cThe\u00a0CCGs\u00a0will have to merge,\u201d said Dr\u00a0Ann\u00a0Lee, "
            "chair of NHS\u00a0Barsetshire CCG. NHS\u00a0England\u2019s plans are \u2018bold\u2019.")
    result = extract_text(text, gaz).to_json()
    check_shape(result, text)
    england = one(result["entities"], label="NHS England")
    assert england["text"] == "NHS\u00a0England"
    claim = one(result["claims"], claimant="Ann Lee")
    assert claim["text"].startswith("The\u00a0CCGs") and text[claim["start"]:claim["end"]] == claim["text"]


def test_html_markup_is_blanked_in_place(gaz, tmp_path):
    page = ("<html><head><title>CCGs to merge</title><meta name=\"author\" content=\"Ann Lee\"></head><body>"
            "<p>NHS&nbsp;Barsetshire CCG and <b>NHS Westshire CCG</b> will merge in April 2019.</p>"
            "<script>var x = 'NHS England regulates Monitor';</script>"
            "<p>&ldquo;This is the right thing for patients,&rdquo; said Dr Ann Lee.</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    result = extract_document(path, gaz)
    masked = mask_html(page)
    assert len(masked) == len(page)
    check_shape(result, masked)
    assert result["document"]["title"] == "CCGs to merge" and result["document"]["author"] == "Ann Lee"
    westshire = one(result["entities"], text="NHS Westshire CCG")
    assert page[westshire["start"]:westshire["end"]] == "NHS Westshire CCG"     # offsets index the file's text
    assert not result["oversight"], "script content is not text"
    assert one(result["changes"], kind="merger")["date"] == "2019-04"
    quote = [c for c in result["claims"] if c["text"].startswith("This is the right thing")]
    assert quote and quote[0]["claimant"] == "Ann Lee"


# -- entities ------------------------------------------------------------------------------------------

def test_entities_resolve_labels_aliases_abbreviations_and_register_names(gaz):
    text = ("The NCB and the DH asked PCTs, the HWB and NHS Kernow CCG (code 11N) to talk to the West Essex "
            "Clinical Commissioning Group. Barchester CCG was not consulted. Monitor will monitor it.")
    result = extract_text(text, gaz).to_json()
    by_text = {e["text"]: e for e in result["entities"]}
    assert by_text["NCB"]["iri"] == ID + "nhs-england"
    assert by_text["DH"]["iri"] == ID + "department-of-health"
    assert by_text["PCTs"]["type"] == "PrimaryCareTrust"
    assert by_text["NHS Kernow CCG"]["iri"] == ID + "ods-11n" and by_text["11N"]["iri"] == ID + "ods-11n"
    assert by_text["West Essex Clinical Commissioning Group"]["iri"] == ID + "ods-07h"
    assert by_text["Barchester CCG"]["iri"] is None and by_text["Barchester CCG"]["type"] == "ClinicalCommissioningGroup"
    assert [e["text"] for e in result["entities"]].count("Monitor") == 1, "the verb 'monitor' is not the regulator"


def test_people_by_honorific_and_speech_verb_and_surname(gaz):
    text = ("Dr Priya Shah, chair of the local CCG, said the plan was sound. Later Shah added that the PCTs "
            "had failed. Tom Okafor says the board will merge.")
    people = [e for e in extract_text(text, gaz).to_json()["entities"] if e["type"] == "Person"]
    labels = [p["label"] for p in people]
    assert labels.count("Priya Shah") == 2 and "Tom Okafor" in labels


def test_short_abbreviations_need_their_case(gaz):
    result = extract_text("The dh sound and the pct sign are not bodies; the PCT is.", gaz).to_json()
    assert [e["text"] for e in result["entities"]] == ["PCT"]


# -- changes -------------------------------------------------------------------------------------------

def test_changes_in_other_words(gaz):
    text = ("Friday, 3 March 2017\n\nNews\n\n"
            "Last month NHS Ashford CCG joined forces with NHS Canterbury and Coastal CCG.\n\n"
            "Ministers plan to abolish strategic health authorities.\n\n"
            "The two primary care trusts in Barchester were scrapped in 2013 and replaced by Barchester CCG.\n\n"
            "Barchester PCT became a care trust in 2007.\n\n"
            "NHS West Kent CCG will move to the South East region next year.\n\n"
            "A new integrated care board was established in July 2022 for Kent and Medway.\n\n"
            "Over time the three Surrey CCGs will amalgamate.")
    result = extract_text(text, gaz).to_json()
    check_shape(result, text)
    merger = one(result["changes"], kind="merger", status="done")
    assert merger["date"] == "2017-02" and merger["from"] == ["NHS Ashford CCG"]
    assert one(result["changes"], kind="abolition", status="planned")["from"] == ["Strategic Health Authorities"]
    replacement = one(result["changes"], kind="replacement")
    assert replacement["into"] == "Barchester CCG" and replacement["date"] == "2013"
    assert one(result["changes"], kind="change-of-type")["date"] == "2007"
    transfer = one(result["changes"], kind="transfer")
    assert (transfer["from"], transfer["into"], transfer["date"]) == (["NHS West Kent CCG"], "South East", "2018")
    assert one(result["changes"], kind="establishment")["date"] == "2022-07"
    assert one(result["changes"], kind="merger", status="predicted")


def test_no_change_without_a_body_or_from_a_passing_reference(gaz):
    text = "The merger was discussed at length. The club merged its two teams. Plans for a new stadium were set out."
    assert extract_text(text, gaz).to_json()["changes"] == []


# -- oversight -----------------------------------------------------------------------------------------

def test_oversight_in_other_words(gaz):
    text = ("Under the plans, commissioning support units will be hosted by NHS England. "
            "Health and wellbeing boards could send commissioning plans back to CCGs if they disagreed. "
            "Monitor regulates foundation trusts. "
            "NHS England has delegated primary care commissioning to the CCGs. "
            "CCGs will be performance managed by the NHS Commissioning Board. "
            "Most CCGs buy community services from local providers. "
            "The senates will be accountable to NHS England and the Department of Health. "
            "The new trust will need approval from Monitor before it opens. "
            "Clinical senates should be advisory, not authorising, bodies.")
    result = extract_text(text, gaz).to_json()
    check_shape(result, text)
    rel = {(o["kind"], o["overseer"], o["overseen"]) for o in result["oversight"]}
    assert ("hosts", "NHS England", "Commissioning Support Units") in rel
    assert ("may-refer-plans-back-to", "Health and Wellbeing Boards", "Clinical Commissioning Groups") in rel
    assert ("regulates", "Monitor", "foundation trust") in rel
    assert ("delegates-to", "NHS England", "Clinical Commissioning Groups") in rel
    assert ("performance-manages", "NHS England", "Clinical Commissioning Groups") in rel
    assert ("commissions-from", "Clinical Commissioning Groups", "provider") in rel
    assert ("oversees", "Department of Health", "clinical senates") in rel
    assert ("authorises", "Monitor", None) in rel
    assert ("advises", "clinical senates", None) in rel


# -- claims --------------------------------------------------------------------------------------------

def test_claims_quoted_reported_and_the_authors_own(gaz):
    text = ("Tuesday, 4 October 2011\n\nThe cost of change\n\nBy Sam Jones\n\n"
            "\u201cMergers will save money in the long run,\u201d said Dr Jane Okafor, chair of Barchester CCG.\n\n"
            "She added: \u201cThe CCGs should work together to cut duplication.\u201d\n\n"
            "According to the King's Fund, the reorganisation could cost between \u00a31bn and \u00a31.5bn.\n\n"
            "The reforms were badly thought out and have failed the PCTs that tried hardest.\n\n"
            "GP consortia will struggle to find enough experienced managers by 2013.\n\n"
            "The government should give CCGs more time to prepare.\n\n"
            "Kent County Council has written to ministers, and the council says the CCG plans are unworkable.\n\n"
            "What happens next?")
    result = extract_text(text, gaz).to_json()
    check_shape(result, text)
    claims = result["claims"]
    quote = one(claims, claimant="Jane Okafor", type="prediction")
    assert quote["text"] == "Mergers will save money in the long run"
    assert one(claims, claimant="Jane Okafor", type="recommendation")["text"].startswith("The CCGs should")
    estimate = one(claims, claimant="King's Fund")
    assert estimate["type"] == "estimate"
    assert amounts(estimate["text"]) == [{"value": 1000000000, "currency": "GBP", "bound": "lower"},
                                         {"value": 1500000000, "currency": "GBP", "bound": "upper"}]
    assert one(claims, claimant="Sam Jones", type="criticism")["text"].startswith("The reforms were badly")
    assert one(claims, claimant="Sam Jones", type="prediction")["text"].startswith("GP consortia will struggle")
    assert one(claims, claimant="Sam Jones", type="recommendation")["text"].startswith("The government should")
    assert one(claims, claimant="Kent")["text"].startswith("Kent County Council has written")
    assert not [c for c in claims if c["text"].startswith("What happens")], "a question is not a claim"


def test_quotation_spanning_paragraphs_and_epigraph(gaz):
    text = ("\u201cCommissioning is a team sport\u201d\nAnn Example\n\n12 January 2012\n\nTeams\n\n"
            "Dr Bob Stone continues: \u201cThe PCTs were never given the time they needed. They were merged too often.\n\n"
            "\u201cThe CCGs will make the same mistakes unless they are left alone.\u201d\n\n"
            "The author disagrees with the PCT analysis entirely.")
    claims = extract_text(text, gaz).to_json()["claims"]
    assert one(claims, claimant="Ann Example")["text"] == "Commissioning is a team sport"
    stone = [c["text"][:12] for c in claims if c["claimant"] == "Bob Stone"]
    assert stone == ["The PCTs wer", "They were me", "The CCGs wil"]
    assert one(claims, claimant="(author)")["text"].startswith("The author disagrees")


def test_no_false_hits_in_text_without_commissioning_content(gaz):
    text = ("Saturday, 12 May 2018\n\nRovers clinch the title\n\nBy Sam Jones\n\n"
            "Rovers will be promoted after a 2-0 win over United, manager Tom Black said. \"We have worked so hard "
            "for this,\" he added. The club merged its youth academy with the women's team last year, and the "
            "council approved plans for a new stadium. Critics said ticket prices were too high and that the board "
            "should listen to fans. The club will join the Premier League next season and expects to spend "
            "\u00a320m on new players.")
    result = extract_text(text, gaz).to_json()
    assert len(result["changes"]) + len(result["oversight"]) + len(result["claims"]) <= 2


def test_relative_dates_resolve_against_the_document():
    assert resolve_date("as announced last week", "2011-06-20") == "2011-06"
    assert resolve_date("the groups merged last April", "2011-06-20") == "2011-04"
    assert resolve_date("they merge next April", "2011-06-20") == "2012-04"
    assert resolve_date("from April next year", "2017-03-03") == "2018-04"
    assert resolve_date("by next year", "2010-07-26") == "2011"
    assert resolve_date("on 1 April 2013 the CCGs", None) == "2013-04-01"
    assert resolve_date("in 1998 the government", "2010-07-26") == "1998"
    assert resolve_date("today's PCT", "2010-07-26") is None


# -- bad input -----------------------------------------------------------------------------------------

def test_bad_input_is_refused_with_the_file_named(tmp_path, gaz):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("The PCT will merge, \u00a32m.".encode("cp1252"))
    with pytest.raises(InputError) as error:
        extract_document(latin, gaz)
    assert "latin1.txt" in str(error.value) and "utf-8" in str(error.value)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    for path, reason in ((empty, "empty"), (binary, "binary")):
        with pytest.raises(InputError, match=reason) as error:
            extract_document(path, gaz)
        assert path.name in str(error.value)
    good = tmp_path / "good.txt"
    good.write_text("NHS England will host the clinical senates.", encoding="utf-8")
    results, skipped = extract_files([empty, latin, binary, good], gaz)
    assert [r["document"]["path"] for r in results] == [str(latin), str(good)]   # cp1252 accepted here
    assert [(p, r.split(" ")[0]) for p, r in skipped] == [(str(empty), "empty"), (str(binary), "binary")]


def test_utf16_with_byte_order_mark_and_size_limit(tmp_path, gaz):
    page = tmp_path / "utf16.txt"
    page.write_bytes("NHS England will host the clinical senates.".encode("utf-16"))
    result = extract_document(page, gaz)
    assert one(result["oversight"], kind="hosts")["overseer"] == "NHS England"
    blank = tmp_path / "blank16.txt"
    blank.write_bytes("   \n".encode("utf-16"))
    with pytest.raises(InputError, match="empty"):
        extract_document(blank, gaz)
    from nhskg.extract import read_source
    with pytest.raises(InputError, match="too large"):
        read_source(page, max_bytes=10)


def _random_text(rng: random.Random) -> str:
    vocab = ["the", "PCT", "CCGs", "will", "merge", "with", "NHS England", "said", "Dr", "Smith", "\u201c", "\u201d",
             "\"", ".", ",", "\n", "\n\n", "hosted by", "Monitor", "\u00a0", "\u2019", "abolished", "in", "2013",
             "April", "last", "week", "\u00a32bn", "according to", "<p>", "&amp;", ":", "?", "\u00e9", "\U0001F600",
             "Health and Wellbeing Boards", "refer plans back to", "x" * 30, "   ", "-", "\u2013"]
    return "".join(rng.choice(vocab) + rng.choice(["", " ", " ", "  "]) for _ in range(rng.randint(0, 400)))


def test_random_text_gives_well_formed_output(gaz):
    rng = random.Random(20240601)
    for _ in range(60):
        text = _random_text(rng)
        check_shape(extract_text(text, gaz).to_json(), text)


def test_random_text_property(gaz):
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
    def check(text):
        check_shape(extract_text(text, gaz).to_json(), text)

    check()


def test_large_document_is_processed_in_bounded_time(gaz, corpus):
    import time
    paragraphs = [line for p in sorted(corpus.glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")
                  if len(line) > 80]
    rng = random.Random(7)
    text = "\n\n".join(rng.choice(paragraphs) for _ in range(1500))       # about 0.6 MB of prose
    started = time.perf_counter()
    result = extract_text(text, gaz).to_json()
    assert time.perf_counter() - started < 20
    assert len(result["claims"]) > 500
    soup = " ".join(rng.choice(["PCT", "said", "\u201c", "merge", "Dr", "Smith", "."]) for _ in range(60000))
    started = time.perf_counter()
    extract_text(soup, gaz)
    assert time.perf_counter() - started < 20, "no quadratic blow-up on text without sentence ends"



def test_a_ten_megabyte_document_is_extracted_in_bounded_memory(corpus, tmp_path):
    """The issue's 10 MB document, through the command in a process of its own so its peak memory is its own:
    the answer is well-formed, every span points at its text, and memory stays within a small multiple of
    the file."""
    import subprocess
    import sys
    paragraphs = [p for path in sorted(corpus.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")
                  if p.strip()]
    rng = random.Random(11)
    chunks, size = [], 0
    while size < 10_000_000:
        chunks.append(rng.choice(paragraphs))
        size += len(chunks[-1].encode("utf-8")) + 2
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(chunks), encoding="utf-8")
    # The child reports its own peak, so no earlier child process of this test run counts.
    program = ("import resource, sys\nfrom nhskg.cli import main\ntry:\n    main(standalone_mode=False)\n"
               "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", program, "extract", str(big), "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    [result] = json.loads(done.stdout)
    text = big.read_text(encoding="utf-8")
    assert len(result["entities"]) > 1000 and result["claims"]
    for kind in ("entities", "changes", "oversight", "claims"):
        for item in result[kind][:2000]:
            assert text[item["start"]:item["end"]] == item["text"]
    assert peak_mb < 1500, f"peak {peak_mb:.0f} MB for a 10 MB document"

# -- turtle --------------------------------------------------------------------------------------------

def test_trig_output_parses_with_provenance(gaz, corpus):
    from rdflib import Dataset
    from nhskg.extract import Extractor, read_source
    x = Extractor(gaz).run(read_source(corpus / "004_3a34b501a897b3f2.txt"))
    trig = to_trig([x])
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    graphs = [g for g in ds.graphs() if "graph/document/x-" in str(g.identifier)]
    assert len(graphs) == 1
    rows = list(ds.query("""PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX nhskg: <https://w3id.org/nhskg/ontology#>
        SELECT ?claim ?start ?conf WHERE { GRAPH ?g { ?claim a nhskg:Recommendation ; nhskg:confidence ?conf ;
        oa:hasSelector [ oa:start ?start ] } }"""))
    assert rows


# -- evaluation against the curated annotations ----------------------------------------------------------

# The figures reached when this was written (P/R/F1), kept as floors a little below them:
#   full gazetteer:       entities 0.93/0.94/0.93, changes 0.85/0.79/0.81, oversight 0.83/0.94/0.88,
#                         claims 0.91/0.88/0.90 (one to one), claims-overlap 0.94/0.95/0.94
#   leave-one-document-out: entities 0.89/0.75/0.82 (new entities scored by name), changes 0.83/0.71/0.77,
#                         oversight 0.82/0.88/0.85, claims 0.91/0.88/0.89
FLOORS = {"entities": 0.90, "changes": 0.78, "oversight": 0.85, "claims": 0.87, "claims-overlap": 0.92}
HOLDOUT_FLOORS = {"entities": 0.79, "changes": 0.74, "oversight": 0.82, "claims": 0.86}


def test_evaluation_figures_do_not_regress(dataset, corpus):
    from nhskg.evaluate import evaluate
    report = evaluate(corpus_dir=corpus, kg=dataset)
    assert len(report.documents) == 5
    figures = report.figures()
    for kind, floor in FLOORS.items():
        assert figures[kind][2] >= floor, f"{kind} F1 {figures[kind][2]} fell below {floor}\n{report.render(True)}"
    assert report.metadata == {"title": (5, 5), "date": (5, 5), "author": (5, 5), "publisher": (5, 5)}
    text = report.render(details=True)
    assert "missed" in text and "false hits" in text
    held = evaluate(corpus_dir=corpus, kg=dataset, holdout=True).figures()
    for kind, floor in HOLDOUT_FLOORS.items():
        assert held[kind][2] >= floor, f"leave-one-out {kind} F1 {held[kind][2]} fell below {floor}"
