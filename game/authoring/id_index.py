"""The index of the ids a scenario file defines: where each is, what kind it is and
what it means, as the language server and `rapport` answer from it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Kinds of definitions, in the order an ambiguous word is looked up.
PEOPLE = ("customer", "supplier", "rep")
KINDS = (*PEOPLE, "competitor", "action", "event", "flag")

#: How many broken lines :func:`parse_leniently` blanks before it gives up.
MAX_REPAIRS = 6

WORD_PATTERN = re.compile(r"[A-Za-z0-9_]")
FLAG_READ = re.compile(r"\bflag\(\s*[\"']?([A-Za-z_]\w*)")
KEY_PATTERN = re.compile(r"(?:^|(?<=[\s{,\[-]))([A-Za-z_]\w*)\s*:(?=\s|$)")
LINE_KEY = re.compile(r"^(\s*)((?:-\s+)*)([A-Za-z_]\w*)\s*:(?:\s+(.*))?$")
BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
OPEN_CALL = re.compile(r"([A-Za-z_]\w*)\s*\(([^()]*)$")
TEXT_KEYS = frozenset(
    {"label", "text", "title", "briefing", "summary", "goal", "about", "description", "log"}
)
PLACEHOLDERS = ("actor", "target", "introducer", "customer", "supplier")


@dataclass(frozen=True, slots=True)
class Span:
    """Where an id is written: a 0-based line, a 0-based column and its length."""

    line: int
    col: int
    length: int


@dataclass(frozen=True, slots=True)
class Definition:
    """One id the scenario defines."""

    id: str
    kind: str
    span: Span | None
    detail: str
    """One line for a completion list: `customer · Director of sales enablement`."""
    hover: str
    """Markdown: who or what this is, with the figures an author needs."""


@dataclass(frozen=True, slots=True)
class Completion:
    """One completion: `label` replaces the text from `start` to the cursor."""

    label: str
    kind: str
    detail: str = ""
    documentation: str = ""
    start: int = 0


@dataclass
class IdIndex:
    """Every id a scenario defines, by kind."""

    definitions: dict[str, dict[str, Definition]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )
    repaired: bool = False
    """True if some broken lines were left out to read the text."""

    def merged_with(self, older: IdIndex | None) -> IdIndex:
        """This index, with the ids only `older` has (those on lines left out)."""
        if older is None:
            return self
        merged = {
            kind: {**older.definitions.get(kind, {}), **self.definitions.get(kind, {})}
            for kind in KINDS
        }
        return IdIndex(merged, self.repaired)

    def of_kind(self, *kinds: str) -> list[Definition]:
        """The definitions of these kinds, in that order (file order within a kind)."""
        return [d for kind in kinds for d in self.definitions.get(kind, {}).values()]

    def lookup(self, word: str, prefer: Sequence[str] = ()) -> Definition | None:
        """The definition of `word`, of a kind in `prefer` if there is one."""
        for kind in (*prefer, *KINDS):
            found = self.definitions.get(kind, {}).get(word)
            if found is not None:
                return found
        return None
