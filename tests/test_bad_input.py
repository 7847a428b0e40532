"""Bad input gets a message naming the file and field, exit status 2, and no output half-written."""

import shutil

import pytest
from click.testing import CliRunner

from nhskg.build import build
from nhskg.cli import main
from nhskg.errors import InputError

DOC = "documents/2011-12-07-bureaucrats-shall-inherit-the-nhs.toml"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_error(data, corpus, out) -> str:
    with pytest.raises(InputError) as error:
        build(out, data_dir=data, corpus=corpus)
    assert not out.exists() or not any(out.iterdir()), "a failed build wrote output"
    return str(error.value)


def test_malformed_toml_names_file_and_line(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, '[document]', '[document')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert DOC.split("/")[-1] in message and "line 1" in message


def test_unknown_field(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, 'genre = "blog-post"', 'genre = "blog-post"\ncolour = "red"')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "document.colour" in message and "unknown field" in message


def test_reference_to_undefined_entity(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, 'into = ["mid-and-west-cornwall-gp-commissioning-group"]', 'into = ["nowhere-ccg"]')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "change[1].into[0]" in message and "unknown entity 'nowhere-ccg'" in message


def test_impossible_date(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, 'date = "2011-12-07"', 'date = "2011-02-30"')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "document.date" in message and "not a real date" in message


def test_duplicate_identifier(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, 'id = "pulse-magazine"', 'id = "monitor"')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "duplicate identifier 'monitor'" in message and "entities.toml" in message


def test_quote_not_in_document(data_copy, corpus, tmp_path):
    edit(data_copy / DOC, 'quote = "This week we have seen', 'quote = "This year we have seen')
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "change[1].quote" in message and "not in 000_6399eb31511db6d3.txt" in message


def test_offsets_that_do_not_match_are_reported_with_the_right_ones(data_copy, corpus, tmp_path):
    import re
    text = (data_copy / DOC).read_text(encoding="utf-8")
    block = text[text.index('-mid-cornwall-merged-into-'):]
    start, end = (int(re.search(rf"^{key} = (\d+)$", block, re.M).group(1)) for key in ("start", "end"))
    edit(data_copy / DOC, f"start = {start}\nend = {end}\n", f"start = {start + 3}\nend = {end + 3}\n")
    message = build_error(data_copy, corpus, tmp_path / "out")
    assert "change[1].quote" in message
    assert f"not at {start + 3}-{end + 3}" in message and f"it is at {start}-{end}" in message


def test_document_that_is_not_utf8(data_copy, corpus, tmp_path):
    bad_corpus = tmp_path / "corpus"
    shutil.copytree(corpus, bad_corpus)
    target = bad_corpus / "000_6399eb31511db6d3.txt"
    target.chmod(0o644)
    target.write_bytes(b"caf\xe9 " + target.read_bytes())
    message = build_error(data_copy, bad_corpus, tmp_path / "out")
    assert "000_6399eb31511db6d3.txt" in message and "not UTF-8" in message


def test_empty_corpus_folder(data_copy, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    message = build_error(data_copy, empty, tmp_path / "out")
    assert "corpus folder holds no documents" in message


def test_changed_document_is_caught_by_its_digest(data_copy, corpus, tmp_path):
    changed = tmp_path / "corpus"
    shutil.copytree(corpus, changed)
    target = changed / "001_f8aab7a9790c8537.txt"
    target.chmod(0o644)
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    message = build_error(data_copy, changed, tmp_path / "out")
    assert "document.sha256" in message


def test_cli_exits_2_and_keeps_the_previous_build(data_copy, corpus, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert first.exit_code == 0, first.output
    before = (out / "nhskg.nq").read_bytes()
    edit(data_copy / DOC, 'kind = "merger"', 'kind = "amalgamation"')
    second = runner.invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert second.exit_code == 2
    assert "change[1].kind" in second.output and "'amalgamation' is not one of" in second.output
    assert (out / "nhskg.nq").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["nhskg.nq", "nhskg.trig"]
