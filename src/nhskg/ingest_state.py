"""What `nhskg ingest` keeps beside a build, in `BUILD/.ingest-state/`, so that adding a document to a large
build costs that document's work and not the whole graph's.

Ingest needs four things read from the whole graph: the name list the extractor matches, the curated
statements and dates the conflict checks compare with, the documents the build already holds, and the
compiled OWL RL rules. At a million triples they took half a minute to read. The state keeps them
(`context.pickle`, with one small record per later ingest appended to `updates.pickle`), together with an index
the outward reasoning needs and the N-Quads file lacks: the triples of the rules' joined properties sorted by
object (`joined-by-object.nt`, lines `object predicate subject`). Everything else ingest asks of the build it
reads from `nhskg.nq` itself, whose sorted lines can be searched by prefix.

`state.json` names the SHA-256 of the two export files the state belongs to. A state that does not match them
(the build was rebuilt or edited, an ingest stopped half-way) is not used, and is prepared again from the
build. The state is written by nhskg for nhskg (Python pickles): treat the folder like the build itself, not
as input from elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .store import atomic_write_all

STATE_FOLDER = ".ingest-state"
STATE_FORMAT = 1
# the context is written whole again once this many ingests have been appended to it
UPDATES_BEFORE_REWRITE = 50


def digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def code_digest() -> str:
    """The SHA-256 of the modules whose objects the state pickles or whose rules made them: a state kept by
    other code (another version of nhskg, an edited rule) is prepared again rather than trusted."""
    from . import extract, ingest, rules
    hashed = hashlib.sha256()
    for module in (extract, ingest, rules):
        hashed.update(Path(module.__file__).read_bytes())
    hashed.update(Path(__file__).read_bytes())
    return hashed.hexdigest()


@dataclass
class IngestContext:
    """What ingest reads from the whole build, kept between runs."""
    gazetteer: object          # nhskg.extract.Gazetteer
    facts: object              # nhskg.ingest._Facts
    known: list                # nhskg.ingest.KnownDocument, every document the build holds
    rules: object              # nhskg.rules.CompiledRules for the build's ontology


@dataclass
class ContextUpdate:
    """What one ingest adds to the context: replayed on the next run's context."""
    entities: dict = field(default_factory=dict)     # iri -> Entry of the new entities
    names: set = field(default_factory=set)          # (iri, name, predicate, graph) of the new graphs' subjects
    founded: dict = field(default_factory=dict)
    dissolved: dict = field(default_factory=dict)
    collective: set = field(default_factory=set)
    known: list = field(default_factory=list)

    def apply(self, context: IngestContext) -> None:
        from .extract import gazetteer_apply
        gazetteer_apply(context.gazetteer, self.entities, self.names)
        facts = context.facts
        for s, date in self.founded.items():
            facts.founded[s] = min(facts.founded.get(s, date), date)
        for s, date in self.dissolved.items():
            facts.dissolved[s] = max(facts.dissolved.get(s, date), date)
        facts.collective |= self.collective
        context.known.extend(self.known)


class IngestState:
    """The state folder of one build: `load` it if it matches the build's files, `save` a fresh one, or
    `append` an ingest's update to it once the new files are in place."""

    def __init__(self, build_dir: Path):
        self.folder = Path(build_dir) / STATE_FOLDER
        self.manifest = self.folder / "state.json"
        self.updates = 0         # the updates recorded after the context, as `load` found them

    def check_usable(self) -> None:
        """Refuse, before anything is written, a state path that something other than a folder stands on."""
        from .errors import InputError
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(str(self.folder), "is not a folder: nhskg ingest keeps its state there; move it away")

    def _read_manifest(self) -> dict | None:
        try:
            manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) and manifest.get("format") == STATE_FORMAT else None

    def load(self, nquads: bytes, trig: bytes | None) -> tuple[IngestContext, bytes] | None:
        """The context and the joined-by-object index, or None where there is no state for these files."""
        manifest = self._read_manifest()
        if manifest is None or manifest.get("nquads_sha256") != digest(nquads) \
                or manifest.get("trig_sha256") != digest(trig) or manifest.get("code_sha256") != code_digest():
            return None
        try:
            with open(self.folder / "context.pickle", "rb") as stream:
                context = pickle.load(stream)
            updates = []
            if manifest.get("updates", 0):
                with open(self.folder / "updates.pickle", "rb") as stream:
                    updates = [pickle.load(stream) for _ in range(manifest["updates"])]
            index = (self.folder / "joined-by-object.nt").read_bytes()
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None      # unreadable or from another version of nhskg: prepared again
        if digest(index) != manifest.get("index_sha256"):
            return None
        for update in updates:
            update.apply(context)
        self.updates = len(updates)
        return context, index

    def discard(self) -> None:
        """Forget the state before the build's files change: it no longer matches them."""
        if self.manifest.exists():
            self.manifest.unlink()

    def save(self, context: IngestContext, index: bytes, nquads: bytes, trig: bytes | None) -> None:
        """Write a whole state for these build files (the manifest last, so a half-written state is never used)."""
        self.discard()
        self.folder.mkdir(parents=True, exist_ok=True)
        updates = self.folder / "updates.pickle"
        if updates.exists():
            updates.unlink()
        pickled = pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_all({self.folder / "context.pickle": pickled, self.folder / "joined-by-object.nt": index})
        self._write_manifest(nquads, trig, index, 0)
        self.updates = 0

    def append(self, update: ContextUpdate, context: IngestContext, index: bytes, nquads: bytes,
               trig: bytes | None) -> None:
        """Record an ingest's update for the build files now in place (`context`, as `load` gave it, already
        holds it)."""
        count = self.updates + 1
        self.discard()
        if count > UPDATES_BEFORE_REWRITE or not (self.folder / "context.pickle").exists():
            self.save(context, index, nquads, trig)
            return
        with open(self.folder / "updates.pickle", "r+b" if count > 1 else "wb") as stream:
            # whatever a run that stopped half-way left after the records counted is written over
            for _ in range(count - 1):
                pickle.load(stream)
            stream.truncate()
            pickle.dump(update, stream, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_all({self.folder / "joined-by-object.nt": index})
        self._write_manifest(nquads, trig, index, count)
        self.updates = count

    def _write_manifest(self, nquads: bytes, trig: bytes | None, index: bytes, updates: int) -> None:
        manifest = {"format": STATE_FORMAT, "nquads_sha256": digest(nquads), "trig_sha256": digest(trig),
                    "index_sha256": digest(index), "code_sha256": code_digest(), "updates": updates}
        atomic_write_all({self.manifest: json.dumps(manifest, indent=1, sort_keys=True) + "\n"})


__all__ = ["IngestState", "IngestContext", "ContextUpdate", "STATE_FOLDER"]
