"""The open-data register: derived from the official files, shipped compact, answering register questions."""

import shutil

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
# XSD through its module: as one of a test module's names, pytest probes it for mocks and rdflib warns
from rdflib import namespace

from nhskg import resources
from nhskg.cli import main
from nhskg.errors import InputError
from nhskg.register import derive_register, register_report_lines, register_texts
from nhskg.vocab import ID, NHSKG, ORG

from conftest import ROOT, labels

OGD = ROOT.parent / "shared" / "ogd"


@pytest.fixture(scope="module")
def derived():
    if not OGD.is_dir():
        pytest.fail(f"the open data is expected at {OGD}")
    return derive_register(OGD)


def test_shipped_register_is_what_the_script_derives(derived):
    for name, text in register_texts(derived).items():
        assert (resources.DATA_DIR / "register" / name).read_text(encoding="utf-8") == text, name


def test_report_counts_rows_used_and_skipped(derived):
    report = "\n".join(register_report_lines(derived))
    assert "ods_successors_2023-09.csv: ods-successors: 1652 rows, 142 used; 1510 skipped: not a succession between two CCGs" in report
    assert "ons_ccg_2013_names_codes.csv: ons-ccg-names-2013: 211 rows, 211 used" in report
    assert "pct12_to_ccg13_postcode_share.csv" in report and "unofficial derivation" in report


@pytest.mark.parametrize("year, count", [(2013, 211), (2014, 211), (2015, 209), (2016, 209), (2017, 207),
                                         (2018, 195), (2019, 191), (2020, 135), (2021, 106)])
def test_ccg_count_on_1_april(kg, year, count):
    assert len(kg.asof(f"{year}-04-01", "CCG").rows) == count


def test_asof_other_types(kg):
    assert len(kg.asof("2012-06-01", "Primary Care Trust").rows) == 151
    assert len(kg.asof("2012-06-01", "SHA").rows) == 10
    assert labels(kg.asof("2019-06-01", "NHSEnglandRegion"), "label") == {
        "London", "South East", "South West", "East of England", "Midlands", "North East and Yorkshire", "North West"}


def test_kernow_lineage_to_its_2022_successor(kg):
    rows = kg.lineage("11N").records()
    itself = [r for r in rows if str(r["position"]) == "itself"]
    assert len(itself) == 1 and str(itself[0]["date"]) == "2022-07-01"
    assert "NHS Cornwall and the Isles of Scilly Integrated Care Board" in str(itself[0]["results"])


@pytest.mark.parametrize("code, date, predecessors", [
    ("13T", "2015-04-01", {"00F", "00G", "00H"}),
    ("15N", "2019-04-01", {"99P", "99Q"}),
    ("84H", "2020-04-01", {"00D", "00J"}),
    ("16C", "2020-04-01", {"00C", "00K", "00M"}),
])
def test_merged_ccg_lineage(kg, code, date, predecessors):
    body = kg.resolve(code, "body")
    changes = [r for r in kg.lineage(code).records() if str(r["kind"]) == "merger" and str(r["date"]) == date]
    assert len(changes) == 1
    earlier = {str(c) for p in kg.dataset.objects(changes[0]["change"], ORG.originalOrganization)
               for c in kg.dataset.objects(p, NHSKG.odsCode)}
    assert predecessors <= earlier
    for predecessor in predecessors:
        assert (body, NHSKG.hasPredecessor, kg.resolve(predecessor, "body")) in kg.dataset


def test_gss_codes_are_kept_with_their_years(kg):
    body = kg.resolve("09G", "body")
    years = {}
    for assignment in kg.dataset.objects(body, NHSKG.hasCodeAssignment):
        code = str(kg.dataset.value(assignment, NHSKG.gssCode))
        years[code] = sorted(str(y) for y in kg.dataset.objects(assignment, NHSKG.validInYear))
        geography = kg.dataset.value(assignment, NHSKG.statisticalGeography)
        assert geography == URIRef("http://statistics.data.gov.uk/id/statistical-geography/" + code)
    assert years["E38000036"] == ["2013"] and years["E38000213"][:1] == ["2017"]


def test_stp_becomes_icb_keeping_its_code(kg):
    body = ID["org/gss-e54000036"]
    assert (body, RDF.type, NHSKG.SustainabilityAndTransformationPartnership) in kg.dataset
    assert (body, RDF.type, NHSKG.IntegratedCareBoard) in kg.dataset
    change = ID["change/stp-becomes-icb-e54000036"]
    assert (change, NHSKG.retypedOrganization, body) in kg.dataset
    assert (change, URIRef("http://purl.org/dc/terms/date"), Literal("2022-07-01", datatype=namespace.XSD.date)) in kg.dataset


def test_which_stp_and_region_a_ccg_was_in(kg):
    in_2019 = kg.query("memberships", {"member": "07H", "year": "2019"})
    assert labels(in_2019, "organisationLabel") == {"East of England",
                                                     "NHS Hertfordshire and West Essex Integrated Care Board"}
    in_2013 = kg.query("memberships", {"member": "07H", "year": "2013"})
    assert labels(in_2013, "organisationLabel") == {"Essex", "Midlands and East of England"}


def test_which_ccgs_a_region_held(kg):
    table = kg.query("memberships", {"organisation": "gss-e40000006", "year": "2021"})
    members = labels(table, "memberLabel")
    assert "NHS Kernow CCG" in members and "NHS Devon CCG" in members


def test_document_bodies_are_linked_to_the_register(kg):
    assert kg.resolve("West Essex CCG", "body") == ID["org/ods-07h"]
    assert (ID["org/ods-07h"], NHSKG.curatedIdentifier, Literal("west-essex-ccg")) in kg.dataset
    assert kg.resolve("mid Cornwall", "body") == ID["org/mid-cornwall-gp-commissioning-group"]
    assert (ID["org/mid-cornwall-gp-commissioning-group"], NHSKG.odsCode, None) not in kg.dataset


def test_link_review_report():
    result = CliRunner().invoke(main, ["link", "--format", "csv"])
    assert result.exit_code == 0, result.output
    accepted = [line for line in result.output.splitlines() if line.endswith(",accepted")]
    assert any(line.startswith("west-essex-ccg,ods-07h,") for line in accepted)
    assert len(accepted) == 9


def test_lilley_prediction_assessed_from_the_register(built, tmp_path):
    from nhskg.assess import assess_build
    from nhskg.graph import KnowledgeGraph
    build_dir = tmp_path / "build"
    shutil.copytree(built[0], build_dir)  # the session's build stays as built
    (assessment,) = assess_build(build_dir)
    assert assessment.verdict == "true" and assessment.first_held == "2020"
    assert dict(assessment.figures)["2019"] == 191 and dict(assessment.figures)["2020"] == 135
    claims = KnowledgeGraph.open(build_dir).claims(text="150 consortia").records()
    assert str(claims[0]["verdict"]) == "true" and str(claims[0]["heldFrom"]) == "2020"


def test_verdict_follows_the_register(tmp_path, data_copy):
    """Drop the CCGs of 2020 and 2021 from the register: the target is never met."""
    from nhskg.assess import assess_build
    from nhskg.build import build
    bodies = data_copy / "register" / "bodies.csv"
    lines = bodies.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = []
    for line in lines:
        if ",ClinicalCommissioningGroup," in line:
            head, _, years = line.rstrip("\n").rpartition(",")
            line = head + "," + " ".join(y for y in years.split() if y not in ("2020", "2021")) + "\n"
        edited.append(line)
    bodies.write_text("".join(edited), encoding="utf-8")
    build(tmp_path / "out", data_dir=data_copy, profile="none")
    (assessment,) = assess_build(tmp_path / "out")
    assert assessment.verdict == "false" and assessment.first_held is None


# -- bad input ---------------------------------------------------------------------------------------------

@pytest.fixture
def ogd_copy(tmp_path):
    target = tmp_path / "ogd"
    shutil.copytree(OGD, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_column(ogd_copy):
    rewrite(ogd_copy / "ons_ccg_2019_names_codes.csv", "CCG19CD,CCG19CDH,CCG19NM", "CCG19CD,CCG19CDH,CCG19NM,COLOUR")
    with pytest.raises(InputError) as error:
        derive_register(ogd_copy)
    assert "ons_ccg_2019_names_codes.csv: row 1" in str(error.value) and "unknown column(s) COLOUR" in str(error.value)


def test_missing_column(ogd_copy):
    path = ogd_copy / "ons_pct12_to_sha12_lookup.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:5]) for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        derive_register(ogd_copy)
    assert "missing column(s) SHA12NM" in str(error.value)


def test_code_that_fails_its_format(ogd_copy):
    rewrite(ogd_copy / "ons_ccg_2017_names_codes.csv", "E38000002,09C,", "E38000002,09-C,")
    with pytest.raises(InputError) as error:
        derive_register(ogd_copy)
    assert "ons_ccg_2017_names_codes.csv: row 3, column CCG17CDH" in str(error.value)


def test_lookup_naming_a_body_not_in_the_register(ogd_copy):
    rewrite(ogd_copy / "ons_ccg20_to_stp20_lookup.csv", "E38000004,07L,", "E38000004,99Z,")
    with pytest.raises(InputError) as error:
        derive_register(ogd_copy)
    assert "ons_ccg20_to_stp20_lookup.csv: row 2, column CCG20CDH" in str(error.value)
    assert "not in the register for 2020" in str(error.value)


def test_two_names_for_one_code_in_a_year(ogd_copy):
    path = ogd_copy / "ons_ccg_2018_names_codes.csv"
    path.write_text(path.read_text(encoding="utf-8") + "E38000002,09C,NHS Somewhere Else CCG\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        derive_register(ogd_copy)
    assert "a second name for 09C in 2018" in str(error.value)


def test_register_command_writes_the_files(tmp_path):
    result = CliRunner().invoke(main, ["register", "--ogd", str(OGD), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1510 skipped: not a succession between two CCGs" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bodies.csv", "changes.csv", "codes.csv", "memberships.csv"]


def test_asof_command(built):
    result = CliRunner().invoke(main, ["asof", "2020-04-01", "--type", "CCG", "--format", "csv",
                                       "--build-dir", str(built[0])])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 136
    bad = CliRunner().invoke(main, ["asof", "2020-04-01", "--type", "Spaceship", "--build-dir", str(built[0])])
    assert bad.exit_code == 2 and "names no class" in bad.output


def test_build_from_an_open_data_folder_reports_rows(tmp_path):
    result = CliRunner().invoke(main, ["build", "--ogd", str(OGD), "--out", str(tmp_path), "--profile", "none"])
    assert result.exit_code == 0, result.output
    assert "ods_eccg_2016-02.csv: ods-eccg: 249 rows, 212 used; 37 skipped: not a CCG (commissioning hub)" in result.output
    shipped = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "shipped"), "--profile", "none"])
    assert shipped.exit_code == 0
    assert (tmp_path / "nhskg.nq").read_bytes() == (tmp_path / "shipped" / "nhskg.nq").read_bytes()
