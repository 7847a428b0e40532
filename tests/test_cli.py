"""Every command of the CLI, run through click's CliRunner against one real build."""

import json

import pytest
from click.testing import CliRunner

from nhskg.cli import main


@pytest.fixture(scope="module")
def build_dir(built):
    return str(built[0])


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_build_reports_graphs_and_writes_files(tmp_path, corpus):
    output = run("build", "--corpus", str(corpus), "--out", str(tmp_path))
    assert "checked against the corpus" in output
    assert "document/2010-07-26-gp-commissioning" in output
    assert (tmp_path / "nhskg.trig").stat().st_size > 0 and (tmp_path / "nhskg.nq").stat().st_size > 0


def test_validate_conforms_and_exit_codes(build_dir, corpus, tmp_path):
    assert "conforms" in run("validate", "--build-dir", build_dir, "--corpus", str(corpus), "--format", "table")
    assert "sh:conforms true" in run("validate", "--build-dir", build_dir, "--format", "turtle")
    assert "no built graph" in run("validate", "--build-dir", str(tmp_path / "missing"), code=2)


def test_validate_exit_1_when_the_graph_does_not_conform(built, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    lines = (built[0] / "nhskg.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "prov#wasAttributedTo" not in line]
    assert len(kept) < len(lines)
    (broken / "nhskg.nq").write_text("".join(kept), encoding="utf-8")
    assert "every claim has a claimant" in run("validate", "--build-dir", str(broken), code=1)


def test_validate_names_the_file_and_place_of_a_broken_line(built, tmp_path):
    lines = (built[0] / "nhskg.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = "<https://example.org/a> <https://example.org/b> \"unterminated .\n"
    (tmp_path / "nhskg.nq").write_text("".join(lines), encoding="utf-8")
    output = run("validate", "--build-dir", str(tmp_path), code=2)
    assert str(tmp_path / "nhskg.nq") in output and "cannot be parsed as N-Quads" in output
    assert "line 3" in output or "3:" in output, output


def test_validate_refuses_a_build_without_its_ontology(tmp_path):
    (tmp_path / "nhskg.nq").write_text("", encoding="utf-8")
    assert "holds no ontology graph" in run("validate", "--build-dir", str(tmp_path), code=2)


def test_lint():
    assert "conforms" in run("lint")


def test_queries_lists_every_stored_query():
    output = run("queries")
    for name in ("lineage", "claims", "entity-facts", "oversight", "commissioning-models"):
        assert name in output


def test_query_with_params_in_every_format(build_dir):
    args = ["query", "oversight", "--param", "relation=hosts", "--param", "overseen=clinical senates",
            "--build-dir", build_dir]
    assert "NHS England" in run(*args)
    assert run(*args, "--format", "csv").splitlines()[0].startswith("overseerLabel,relationLabel")
    assert run(*args, "--format", "tsv").splitlines()[0].startswith("?overseerLabel\t")
    bindings = json.loads(run(*args, "--format", "json"))["results"]["bindings"]
    assert {b["overseerLabel"]["value"] for b in bindings} == {"NHS England"}


def test_query_errors(build_dir):
    assert "takes no such parameter" in run("query", "lineage", "--param", "colour=red", "--build-dir", build_dir, code=2)
    assert "needs this parameter" in run("query", "lineage", "--build-dir", build_dir, code=2)
    assert "no stored query" in run("query", "nonsense", "--build-dir", build_dir, code=2)


def test_query_file(build_dir, tmp_path):
    mine = tmp_path / "count.rq"
    mine.write_text("PREFIX nhskg: <https://w3id.org/nhskg/ontology#>\n"
                    "SELECT (COUNT(?c) AS ?claims) WHERE { ?c a nhskg:Claim }\n", encoding="utf-8")
    count = int(run("query", "--file", str(mine), "--format", "csv", "--build-dir", build_dir).splitlines()[1])
    assert count >= 100
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {", encoding="utf-8")
    assert "does not parse" in run("query", "--file", str(bad), "--build-dir", build_dir, code=2)


def test_lineage_command(build_dir):
    output = run("lineage", "MID CORNWALL", "--build-dir", build_dir)
    assert "2011-12" in output and "mid and west Cornwall commissioning group" in output
    assert "matches 3 entities" in run("lineage", "cornwall commissioning group", "--build-dir", build_dir, code=2)
    assert "no entity is called" in run("lineage", "Atlantis CCG", "--build-dir", build_dir, code=2)


def test_claims_command(build_dir):
    output = run("claims", "--by", "Roy Lilley", "--type", "prediction", "--format", "csv", "--build-dir", build_dir)
    assert "GP Commissioning will fail" in output
    about = run("claims", "--about", "Monitor", "--format", "csv", "--build-dir", build_dir)
    assert "beck and call" in about


def test_show_command(build_dir):
    output = run("show", "NCB", "--format", "tsv", "--build-dir", build_dir)
    assert "https://w3id.org/nhskg/graph/entities" in output
    assert "NHSNCB" in output


@pytest.mark.parametrize("fmt, marker", [("turtle", "@prefix"), ("trig", "graph/entities> {"),
                                         ("nquads", "<https://w3id.org/nhskg/graph/"), ("ntriples", " ."),
                                         ("jsonld", '"@id"')])
def test_export_formats(build_dir, fmt, marker):
    assert marker in run("export", "--format", fmt, "--build-dir", build_dir)


def test_export_graph_and_inferred_options(build_dir, tmp_path):
    out = tmp_path / "entities.nt"
    run("export", "--format", "ntriples", "--graph", "entities", "-o", str(out), "--build-dir", build_dir)
    assert "nhs-england" in out.read_text(encoding="utf-8")
    with_inferred = run("export", "--format", "nquads", "--build-dir", build_dir)
    without = run("export", "--format", "nquads", "--no-inferred", "--build-dir", build_dir)
    assert "graph/inferred>" in with_inferred and "graph/inferred>" not in without
    assert "no graph named" in run("export", "--graph", "nope", "--build-dir", build_dir, code=2)


def test_anchor_command(corpus):
    output = run("anchor", str(corpus / "001_f8aab7a9790c8537.txt"), "merge into 150 consortia")
    assert 'quote = "merge into 150 consortia"' in output
    assert "start = " in output and "end = " in output


def test_serve_command_passes_its_settings(build_dir, monkeypatch):
    import nhskg.serve
    seen = {}
    monkeypatch.setattr(nhskg.serve, "serve", lambda kg, host, port, settings: seen.update(
        host=host, port=port, settings=settings, labels=len(kg.dataset)))
    run("serve", "--port", "8123", "--timeout", "2.5", "--max-rows", "50", "--build-dir", build_dir)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123 and seen["labels"] > 1000
    assert seen["settings"].timeout_seconds == 2.5 and seen["settings"].max_rows == 50
    assert seen["settings"].allow_service is False


def test_extract_command(corpus, build_dir, tmp_path):
    output = run("extract", str(corpus / "004_3a34b501a897b3f2.txt"), "--build-dir", build_dir)
    (document,) = json.loads(output) if output.lstrip().startswith("[") else [json.loads(output)]
    assert document["document"]["date"] == "2011-06-20"
    assert any(e["label"] == "Monitor" for e in document["entities"])
    assert "graph/" in run("extract", str(corpus / "004_3a34b501a897b3f2.txt"), "--format", "turtle",
                           "--build-dir", build_dir)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait \x81\x8d")  # neither UTF-8 nor cp1252
    result = CliRunner().invoke(main, ["extract", str(bad), "--build-dir", build_dir])
    assert result.exit_code == 2 and "bad.txt" in result.output


def test_evaluate_command():
    output = run("evaluate")
    claims = next(line for line in output.splitlines() if line.startswith("claims "))
    assert float(claims.split()[3]) >= 0.75


def test_query_pages_with_limit_and_offset(build_dir):
    whole = run("query", "changes", "--format", "csv", "--build-dir", build_dir).splitlines()
    page = run("query", "changes", "--format", "csv", "--limit", "4", "--offset", "3", "--build-dir", build_dir)
    assert page.splitlines() == [whole[0]] + whole[4:8]
    assert "x>=0" in run("query", "changes", "--limit", "-2", "--build-dir", build_dir, code=2)
