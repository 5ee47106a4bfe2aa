"""Building the id index from a scenario's text, valid or not: the YAML read
leniently (broken lines blanked), then every definition found with its place."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import yaml

from game.authoring.id_index import FLAG_READ, MAX_REPAIRS, Definition, IdIndex, Span
from game.scenario.models import Dynamics, Scenario
from game.scenario.references import Path, defined_in, definition_paths
from game.scenario.yaml_source import Position, YamlError, YamlSource, parse_yaml

# --------------------------------------------------------------------------- parsing


def parse_leniently(text: str, hint_line: int | None = None) -> YamlSource | None:
    """Parse `text` as YAML; if it does not parse, blank the lines the parser points at
    (where an unclosed bracket opened, where it gave up, and `hint_line`, 0-based, the
    one being edited) until it does. None if it never does. Blanking keeps every other
    line where it was."""
    return _repairing(text, hint_line)[0]


def _repairing(text: str, hint_line: int | None) -> tuple[YamlSource | None, bool]:
    """:func:`parse_leniently`, and whether any line was blanked."""
    lines = text.split("\n")
    blanked: set[int] = set()
    for _attempt in range(MAX_REPAIRS + 1):
        joined = "\n".join(lines)
        try:
            return parse_yaml(joined), bool(blanked)
        except YamlError as error:
            candidates = [*_broken_lines(joined), error.position.line - 1, hint_line]
            target = next(
                (
                    n
                    for n in candidates
                    if n is not None and 0 <= n < len(lines) and n not in blanked
                ),
                None,
            )
            if target is None:
                return None, True
            blanked.add(target)
            lines[target] = ""
        except (RecursionError, MemoryError):
            return None, True
    return None, True


def _broken_lines(text: str) -> list[int]:
    """The 0-based lines a YAML error names: where the construct it was reading opened
    (an unclosed `{` or `[`), then where it gave up."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        return [m.line for m in (error.context_mark, error.problem_mark) if m is not None]
    except (yaml.YAMLError, RecursionError):
        return []
    return []


def build_index(text: str, hint_line: int | None = None) -> IdIndex | None:
    """The ids defined in scenario `text`; None if it cannot be read as YAML at all."""
    source, repaired = _repairing(text, hint_line)
    if source is None or not isinstance(source.data, dict):
        return None
    index = _Indexer(source).run()
    index.repaired = repaired
    return index


# --------------------------------------------------------------------------- building


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _word(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _percent(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value * 100:.0f}%"


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")


def md(text: Any) -> str:
    """`text` as literal Markdown (one line; control characters shown as escapes)."""
    plain = " ".join(str(text).split())
    plain = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in plain)
    return _MARKDOWN.sub(r"\\\1", plain)


def _code(text: Any) -> str:
    return "`" + str(text).replace("`", "'") + "`"


def _list(ids: Sequence[str]) -> str:
    return ", ".join(_code(i) for i in ids) if ids else "nobody"


class _Indexer:
    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.data: dict[str, Any] = source.data
        self.index = IdIndex()
        self.names: dict[str, str] = {}
        self.unit = str(self.data.get("time_unit", "h"))

    def span(self, path: tuple[str | int, ...], value: str, *, key: bool = False) -> Span | None:
        table = self.source.keys if key else self.source.values
        position: Position | None = table.get(path)
        if position is None:
            return None
        quoted = 1 if position.style in ('"', "'") and not key else 0
        return Span(position.line - 1, position.col - 1 + quoted, len(value))

    def add(self, definition: Definition) -> None:
        self.index.definitions[definition.kind].setdefault(definition.id, definition)

    def run(self) -> IdIndex:
        customer = _mapping(self.data.get("customer"))
        supplier = _mapping(self.data.get("supplier"))
        for _i, person in _items(customer.get("people")):
            if pid := _word(person.get("id")):
                self.names[pid] = str(person.get("name", pid))
        for _i, person in _items(supplier.get("people")):
            if pid := _word(person.get("id")):
                self.names[pid] = str(person.get("name", pid))
        self.trust = [
            (t.get("from"), t.get("to"), t.get("value")) for _i, t in _items(self.data.get("trust"))
        ]
        builders = {
            "customer": self.customer_person,
            "supplier": self.supplier_person,
            "competitor": self.competitor,
            "rep": self.rep,
            "action": self.action,
            "event": self.event,
        }
        for keys, kind in definition_paths(Scenario):  # where the models say ids are defined
            build = builders.get(kind)
            if build is None:
                continue  # answers and lessons are not looked up by id in a scenario
            for path, item, parents in defined_in(self.data, keys[:-1]):
                if (found := _word(item.get("id"))) is not None:
                    build((*path, "id"), found, item, parents)
        self.flags()
        return self.index

    def name(self, pid: Any) -> str:
        return f"{md(self.names[pid])} ({_code(pid)})" if pid in self.names else _code(pid)

    # ----------------------------------------------------------------- people

    def customer_person(
        self, path: Path, pid: str, person: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        customer = parents[-1]
        people = list(_items(customer.get("people")))
        dynamics = _mapping(self.data.get("dynamics"))
        default_trust = dynamics.get("intro_trust", Dynamics().intro_trust)
        company = md(customer.get("name", "the customer"))
        role = str(person.get("role", ""))
        facts = [f"customer ({company})", f"influence {_number(person.get('influence', '?'))}"]
        if boss := person.get("reports_to"):
            facts.append(f"reports to {self.name(boss)}")
        if person.get("present") is False:
            facts.append("arrives later")
        facts.append("met at the start" if person.get("met") is True else "not met yet")
        introducers = person.get("introduced_by")
        if not isinstance(introducers, list):
            introducers = [person.get("reports_to")] if person.get("reports_to") else []
            introducers += [p.get("id") for _i, p in people if p.get("reports_to") == pid]
        needed = person.get("intro_trust", default_trust)
        lines = [f"**{md(person.get('name', pid))}** · {_code(pid)}"]
        if role:
            lines.append(md(role))
        lines.append(" · ".join(facts))
        if person.get("met") is not True:
            lines.append(
                f"Introduced by: {_list([str(i) for i in introducers])} "
                f"(needs trust {_number(needed)})"
            )
        seeds = [f"{_code(to)} {_number(v)}" for src, to, v in self.trust if src == pid]
        lines.append("Trust at the start: " + (", ".join(seeds) if seeds else "none"))
        if about := person.get("about"):
            lines.append(f"*{md(about)}*")
        detail = " · ".join(x for x in ("customer", role) if x)
        span = self.span(path, pid)
        self.add(Definition(pid, "customer", span, detail, "\n\n".join(lines)))

    def supplier_person(
        self, path: Path, pid: str, person: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        company = md(parents[-1].get("name", "your company"))
        role = str(person.get("role", ""))
        facts = [f"supplier ({company})"]
        if person.get("player") is True:
            facts.append("the player")
        if person.get("active") is False:
            facts.append("joins later")
        for key in ("churn", "churn_per_year"):
            if person.get(key) is not None:
                facts.append(f"{key} {_number(person.get(key))}")
        seeds = [f"{_code(src)} {_number(v)}" for src, to, v in self.trust if to == pid]
        lines = [f"**{md(person.get('name', pid))}** · {_code(pid)}"]
        if role:
            lines.append(md(role))
        lines.append(" · ".join(facts))
        lines.append("Trusted at the start by: " + (", ".join(seeds) if seeds else "nobody"))
        if about := person.get("about"):
            lines.append(f"*{md(about)}*")
        detail = " · ".join(x for x in ("supplier", role) if x)
        self.add(Definition(pid, "supplier", self.span(path, pid), detail, "\n\n".join(lines)))

    def competitor(
        self, path: Path, cid: str, competitor: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        cname = md(competitor.get("name", cid))
        facts = [
            f"price {_number(competitor.get('price', 1.0))}",
            f"offer chance {_percent(competitor.get('offer_chance', 0.15))}",
            f"from turn {competitor.get('from_turn', 1)}",
        ]
        rep_ids = [str(r.get("id")) for _i, r in _items(competitor.get("people"))]
        hover = "\n\n".join(
            [f"**{cname}** · competitor {_code(cid)}", " · ".join(facts), f"Reps: {_list(rep_ids)}"]
        )
        span = self.span(path, cid)
        self.add(Definition(cid, "competitor", span, f"competitor · {cname}", hover))

    def rep(
        self, path: Path, rid: str, rep: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        competitor = parents[-1]
        cname = md(competitor.get("name", competitor.get("id") or "a competitor"))
        seeds = [f"{_code(src)} {_number(v)}" for src, to, v in self.trust if to == rid]
        lines = [f"**{md(rep.get('name', rid))}** · {_code(rid)}"]
        if rep.get("role"):
            lines.append(md(rep.get("role")))
        lines.append(f"rep of {cname}")
        lines.append("Trusted at the start by: " + (", ".join(seeds) or "nobody"))
        span = self.span(path, rid)
        self.add(Definition(rid, "rep", span, f"rep · {cname}", "\n\n".join(lines)))

    # ----------------------------------------------------------------- moves and events

    def action(
        self, path: Path, aid: str, action: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        label = str(action.get("label", aid))
        facts = [
            f"cost {_number(action.get('cost', '?'))} {md(self.unit)}",
            md(action.get("behaviour", "?")),
        ]
        if action.get("cooldown"):
            facts.append(f"cooldown {action.get('cooldown')}")
        lines = [
            f"**{md(label)}** · action {_code(aid)}",
            " · ".join(facts),
            f"by {_who(action.get('by', 'player'))} · targets "
            f"{_who(action.get('targets', 'stakeholders'))}",
        ]
        if when := action.get("when"):
            lines.append(f"when {_code(when)}")
        detail = f"action · {label} · {_number(action.get('cost', '?'))} {self.unit}"
        self.add(Definition(aid, "action", self.span(path, aid), detail, "\n\n".join(lines)))

    def event(
        self, path: Path, eid: str, event: dict[str, Any], parents: tuple[dict[str, Any], ...]
    ) -> None:
        title = str(event.get("title", eid))
        facts = []
        if when := event.get("when"):
            facts.append(f"when {_code(when)}")
        facts.append(f"chance {_percent(event.get('chance', 1.0))}")
        facts.append("once" if event.get("once", True) is not False else "repeats")
        if target := event.get("target"):
            facts.append(f"target {_code(target)}")
        lines = [f"**{md(title)}** · event {_code(eid)}", " · ".join(facts)]
        for _c, choice in _items(event.get("choices")):
            cost = choice.get("cost", 0)
            mark = " (default)" if choice.get("default") is True else ""
            lines.append(
                f"- {_code(choice.get('id', '?'))}: {md(choice.get('label', ''))} · "
                f"{_number(cost)} {md(self.unit)}{mark}"
            )
        span = self.span(path, eid)
        self.add(Definition(eid, "event", span, f"event · {title}", "\n\n".join(lines)))

    def flags(self) -> None:
        sets: dict[str, list[str]] = {}
        spans: dict[str, Span | None] = {}
        for path, value in _walk(self.data, ()):
            if path and path[-1] == "flag" and isinstance(value, dict):
                owner = self.owner(path)
                for name in value:
                    sets.setdefault(name, []).append(owner)
                    if spans.get(name) is None:
                        spans[name] = self.span((*path, name), name, key=True)
        reads: dict[str, list[str]] = {}
        for kind in ("actions", "events"):
            for index, item in _items(self.data.get(kind)):
                when = item.get("when")
                if isinstance(when, str):
                    for match in FLAG_READ.finditer(when):
                        reads.setdefault(match.group(1), []).append(
                            self.owner((kind, index, "when"))
                        )
        for _index, lesson in _items(self.data.get("lessons")):
            metric = lesson.get("metric")
            if isinstance(metric, str) and metric.startswith("flag."):
                reads.setdefault(metric[5:], []).append(f"lesson {_code(lesson.get('id', '?'))}")
        for name in [*sets, *(n for n in reads if n not in sets)]:
            lines = [f"flag {_code(name)}"]
            lines.append(
                "Set by: " + ", ".join(dict.fromkeys(sets[name]))
                if name in sets
                else "Set by no effect: a condition reading it is never true"
            )
            lines.append("Read by: " + (", ".join(dict.fromkeys(reads.get(name, []))) or "nothing"))
            detail = f"flag · set by {len(sets.get(name, []))}, read by {len(reads.get(name, []))}"
            self.add(Definition(name, "flag", spans.get(name), detail, "\n\n".join(lines)))

    def owner(self, path: tuple[str | int, ...]) -> str:
        """`event rush_job, answer deliver` for a path inside that answer."""
        if len(path) < 2 or not isinstance(path[1], int):
            return "?"
        items = self.data.get(str(path[0]))
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else {}
        item = _mapping(item)
        kind = "action" if path[0] == "actions" else "event"
        text = f"{kind} {_code(item.get('id', '?'))}"
        if len(path) > 3 and path[2] == "choices" and isinstance(path[3], int):
            choices = item.get("choices")
            if isinstance(choices, list) and path[3] < len(choices):
                text += f" (answer {_code(_mapping(choices[path[3]]).get('id', '?'))})"
        return text


def _who(value: Any) -> str:
    if isinstance(value, list):
        return _list([str(v) for v in value])
    return _code(value)


def _walk(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        yield here, item
        if isinstance(item, dict):
            stack.extend(((*here, k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(item))))
