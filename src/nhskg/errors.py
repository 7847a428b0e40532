"""The exception types the library raises; only the CLI turns them into exit codes."""


class NhskgError(Exception):
    """Base class of every error nhskg raises on purpose."""


class InputError(NhskgError):
    """Bad input: a file, line or field that is wrong. The CLI exits 2."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class AmbiguousName(NhskgError):
    """A name or alias that matches more than one entity."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]):
        self.name = name
        self.candidates = candidates
        listing = "\n".join(f"  {label}  <{iri}>" for iri, label in candidates)
        super().__init__(f"'{name}' matches {len(candidates)} entities:\n{listing}")


class UnknownName(NhskgError):
    """A name or alias that matches no entity."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no entity is called '{name}' (try `nhskg query find-entity --param name=...`)")
