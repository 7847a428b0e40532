"""`nhskg ingest` with the state it keeps beside a build: adding documents through the state writes the same
files as reading the whole build and writing it afresh, batch after batch; the state after several ingests
equals one prepared from the grown build; and a state that does not belong to the build's files is not used."""

import shutil
from pathlib import Path

from nhskg.extract import gazetteer_from_dataset
from nhskg.ingest import _documents, _facts, _joined_by_object, ingest
from nhskg.ingest_state import STATE_FOLDER, IngestState
from nhskg.store import read_build

from test_ingest import PRESS, build_copy, every_part_of, inbox, small_build  # noqa: F401 (fixtures)

# A second and third batch: a new body and a new person (new names for the list), an alias of a known body,
# dates for the life checks and a claim by a known body.
SECOND = """Northfold and Southmere commissioning news

3 February 2021

By Ada Penrose

Northfold Community Health Partnership will take over the commissioning of community services from NHS Westshire CCG on 1 April 2021, said Dr Rowan Tillett, clinical lead of Northfold Community Health Partnership.

NHS England said the change would be reviewed.
"""

THIRD = """Westshire update

9 March 2021

Dr Rowan Tillett said Northfold Community Health Partnership expected to save \u00a31.2 million a year.
Mid Cornwall PCT merged with West Cornwall PCT in 2006, the council noted.
"""


def files(build: Path) -> dict:
    return {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()}


def batch(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_ingesting_through_the_state_writes_what_the_whole_build_gives(build_copy, inbox, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(build_copy, reference)
    batches = [inbox, batch(tmp_path / "second", "news.txt", SECOND), batch(tmp_path / "third", "update.txt", THIRD)]
    for number, folder in enumerate(batches):
        fast = ingest(folder, build_copy)
        full = ingest(folder, reference, incremental=False)
        assert [d.to_json() for d in fast.documents] == [d.to_json() for d in full.documents]
        assert fast.written and files(build_copy) == files(reference), f"batch {number + 1} differs"
        assert (build_copy / STATE_FOLDER / "state.json").is_file()
        assert not (reference / STATE_FOLDER).exists()
    # the later batches were read through the state: it records them as updates to the one it prepared
    state = IngestState(build_copy)
    assert state._read_manifest()["updates"] == 2

    # what the state holds after three ingests is what the grown build gives when read whole
    nquads, trig = (build_copy / "nhskg.nq").read_bytes(), (build_copy / "nhskg.trig").read_bytes()
    context, index = state.load(nquads, trig)
    dataset = read_build(build_copy, engine="oxigraph")
    dataset.default_union = True
    assert every_part_of(context.gazetteer) == every_part_of(gazetteer_from_dataset(dataset))
    assert "Dr Rowan Tillett" in context.gazetteer.names
    known = _documents(dataset)
    assert sorted(map(repr, context.known)) == sorted(map(repr, known))
    fresh = _facts(dataset, [k for k in known if not k.ingested])
    assert (context.facts.founded, context.facts.dissolved, context.facts.collective) == \
        (fresh.founded, fresh.dissolved, fresh.collective)
    assert index == _joined_by_object(nquads, context.rules)


def test_a_state_is_used_only_with_the_files_it_was_kept_for(build_copy, inbox, tmp_path):
    ingest(inbox, build_copy)
    state = IngestState(build_copy)
    nquads, trig = (build_copy / "nhskg.nq").read_bytes(), (build_copy / "nhskg.trig").read_bytes()
    assert state.load(nquads, trig) is not None
    assert state.load(nquads + b"<urn:x> <urn:y> <urn:z> <urn:g> .\n", trig) is None
    assert state.load(nquads, trig.replace(b"nhskg", b"NHSKG", 1)) is None
    manifest = (build_copy / STATE_FOLDER / "state.json")
    kept = manifest.read_text(encoding="utf-8")
    manifest.write_text(kept.replace('"code_sha256": "', '"code_sha256": "0'), encoding="utf-8")
    assert state.load(nquads, trig) is None, "a state kept by other code was used"
    manifest.write_text(kept, encoding="utf-8")
    (build_copy / STATE_FOLDER / "context.pickle").write_bytes(b"not a pickle")
    assert state.load(nquads, trig) is None
    # an unusable state is prepared again, and the ingest still gives the reference files
    reference = tmp_path / "reference"
    shutil.copytree(build_copy, reference, ignore=shutil.ignore_patterns(STATE_FOLDER))
    second = batch(tmp_path / "second", "news.txt", SECOND)
    ingest(second, build_copy)
    ingest(second, reference, incremental=False)
    assert files(build_copy) == files(reference)
    assert state.load((build_copy / "nhskg.nq").read_bytes(), (build_copy / "nhskg.trig").read_bytes()) is not None


def test_replacing_a_document_rewrites_the_build_and_forgets_the_state(build_copy, inbox, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(build_copy, reference)
    ingest(inbox, build_copy)
    ingest(inbox, reference, incremental=False)
    (inbox / "press.txt").write_text(PRESS.replace("1 April 2020", "1 April 2021"), encoding="utf-8")
    replaced = ingest(inbox, build_copy)
    ingest(inbox, reference, incremental=False)
    assert [d.status for d in replaced.documents if d.path == "inbox/press.txt"] == ["replaced"]
    assert files(build_copy) == files(reference)
    assert IngestState(build_copy)._read_manifest() is None


def test_the_first_ingest_writes_the_trig_afresh_whatever_stood_there(build_copy, inbox, tmp_path):
    """Without a state to vouch for it, the TriG beside the N-Quads may be from another build or edited: the
    first ingest does not splice into it."""
    reference = tmp_path / "reference"
    shutil.copytree(build_copy, reference)
    trig = build_copy / "nhskg.trig"
    trig.write_bytes(trig.read_bytes().replace(b"Clinical Commissioning Group", b"Clinical Commissioning Grope"))
    assert b"Grope" in trig.read_bytes()
    ingest(inbox, build_copy)
    ingest(inbox, reference, incremental=False)
    assert b"Grope" not in trig.read_bytes()
    assert files(build_copy) == files(reference)


def test_the_name_list_grows_only_where_new_names_say_all_that_changed():
    """`gazetteer_additions` adds new entities and names; where new graphs change what an entity known before
    is (another label at a better rank) or mint an entity of the curated rank, it declines, and ingest then
    builds the list afresh."""
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from nhskg.extract import gazetteer_additions, gazetteer_apply
    from nhskg.vocab import GRAPH, ID, NHSKG

    dataset = Dataset()
    known, document = URIRef(ID + "org/x-westmere-ccg"), GRAPH["document/x-news-1"]
    dataset.graph(document).add((known, RDF.type, NHSKG.ClinicalCommissioningGroup))
    dataset.graph(document).add((known, RDFS.label, Literal("NHS Westmere CCG")))
    gazetteer = gazetteer_from_dataset(dataset)
    ccg = str(NHSKG.ClinicalCommissioningGroup)

    def quads(subject, label, graph):
        return [(subject, str(RDF.type), URIRef(ccg), str(graph)), (subject, str(RDFS.label), Literal(label), str(graph))]

    newcomer = ID + "org/x-eastmere-ccg"
    later = GRAPH["document/x-news-2"]
    entities, names = gazetteer_additions(gazetteer, quads(newcomer, "NHS Eastmere CCG", later))
    assert list(entities) == [newcomer] and (newcomer, "NHS Eastmere CCG", str(RDFS.label), str(later)) in names
    # the same entity named again in another document changes nothing it is: accepted
    again = quads(str(known), "NHS Westmere CCG", document) + quads(str(known), "NHS Westmere CCG", later)
    assert gazetteer_additions(gazetteer, again) == ({}, {(str(known), "NHS Westmere CCG", str(RDFS.label), str(g))
                                                         for g in (document, later)})
    # a curated label for a known entity, or a new entity at the curated rank: declined
    relabelled = again + quads(str(known), "Westmere Clinical Commissioning Group", GRAPH["entities"])
    assert gazetteer_additions(gazetteer, relabelled) is None
    assert gazetteer_additions(gazetteer, quads(newcomer, "NHS Eastmere CCG", GRAPH["entities"])) is None

    grown = dataset.graph(later)
    for s, p, o, _ in quads(newcomer, "NHS Eastmere CCG", later):
        grown.add((URIRef(s), URIRef(p), o))
    gazetteer_apply(gazetteer, entities, names)
    assert every_part_of(gazetteer) == every_part_of(gazetteer_from_dataset(dataset))


def test_a_file_where_the_state_goes_is_refused_before_anything_is_written(build_copy, inbox):
    from click.testing import CliRunner

    from nhskg.cli import main
    (build_copy / STATE_FOLDER).write_text("not a folder", encoding="utf-8")
    before = files(build_copy)
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--build-dir", str(build_copy)])
    assert result.exit_code == 2 and STATE_FOLDER in result.output and "not a folder" in result.output
    assert files(build_copy) == before
