"""Why a balance run never reached an action, an event, an event's answer or a person.

Two kinds of evidence go into each reason:

- what the scenario says, read statically: a move that costs more time than a
  turn has, a condition the interval analysis of
  :mod:`game.scenario.condition_analysis` shows can never hold, a flag no effect
  sets, someone nobody can introduce;
- what the runs recorded (:class:`RunTrace`): whether a condition, or each part
  of it, ever held and how close its numbers came, which moves and introductions
  were open, the best trust an introducer had, the answers the bots chose.

Pure: no engine, no I/O. ``game.coach.balance_probes.probes`` says which
conditions a run should watch; the balance runner (``game.coach.balance_runs``)
records a ``RunTrace`` per game and :func:`explain` turns all of them into
``Unreachable`` items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence

from game.coach.balance_probes import (
    Part,
    Probe,
    RunTrace,
    Source,
    Unreachable,
    _calls,
    _names,
    effect_sources,
    introducers,
    probes,
    static_facts,
)
from game.scenario.condition_analysis import can_be_true
from game.scenario.condition_tree import Call, Unary
from game.scenario.models import Scenario


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _chance(share: float) -> str:
    """A chance a turn: 18%, 2.5%, 0.01%."""
    return f"{share * 100:.0f}%" if share >= 0.1 else f"{share * 100:.2g}%"


def _either(sources: Sequence[Source]) -> str:
    words = [str(s) for s in sources]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" or {words[-1]}"


def _none_reached(sources: Sequence[Source]) -> str:
    return "which no run reached" if len(sources) == 1 else "none of which any run reached"


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _number_text(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 10 else f"{value:,.0f}"


# --------------------------------------------------------------------------- explaining

Runs = Mapping[str, Sequence[tuple[frozenset[str], RunTrace]]]


class _Explainer:
    def __init__(self, scenario: Scenario, runs: Runs) -> None:
        self.s = scenario
        self.unit = scenario.time_unit
        self.total = sum(len(r) for r in runs.values())
        self.reached: set[str] = set()
        self.met: set[str] = set()
        self.present: set[str] = set()
        self.active: set[str] = set()
        self.parts_true: set[str] = set()
        self.open_runs: Counter[str] = Counter()
        self.held_runs: Counter[str] = Counter()
        self.held_total: Counter[str] = Counter()
        self.answers: Counter[str] = Counter()
        self.low: dict[str, tuple[float, str]] = {}
        self.high: dict[str, tuple[float, str]] = {}
        self.intro_best: dict[str, tuple[float, str, str, str]] = {}
        self.together: dict[str, frozenset[str]] = {}
        for bot, outcomes in runs.items():
            for reached, trace in outcomes:
                self.reached |= reached
                self._gather(bot, trace)
        self.facts = static_facts(scenario)
        self.setters: dict[str, list[Source]] = {}
        self.joins: dict[str, list[Source]] = {}
        self.introduces: dict[str, list[Source]] = {}
        self._index_effects()
        actions, events = probes(scenario)
        self.probes = {p.key: p for p in (*actions, *events)}

    def _gather(self, bot: str, trace: RunTrace) -> None:
        """Add one run's trace to what all runs saw."""
        self.met |= trace.met
        self.present |= trace.present
        self.active |= trace.active
        self.parts_true |= trace.parts_true
        self.open_runs.update(trace.open)
        self.held_runs.update(k for k, n in trace.held.items() if n > 0)
        self.held_total.update(trace.held)
        self.answers.update(trace.answers)
        for key, parts in trace.together.items():
            if len(parts) > len(self.together.get(key, ())):
                self.together[key] = parts
        for key, (low, high) in trace.ranges.items():
            if key not in self.low or low < self.low[key][0]:
                self.low[key] = (low, bot)
            if key not in self.high or high > self.high[key][0]:
                self.high[key] = (high, bot)
        for person, (value, introducer, supplier) in trace.intro_best.items():
            if person not in self.intro_best or value > self.intro_best[person][0]:
                self.intro_best[person] = (value, bot, introducer, supplier)

    def _index_effects(self) -> None:
        """Which moves and answers set each flag, bring each person in, introduce them."""
        for source, effect in effect_sources(self.s):
            for name, setting in (effect.flag or {}).items():
                if setting and source not in self.setters.setdefault(name, []):
                    self.setters[name].append(source)
            if effect.join and source not in self.joins.setdefault(effect.join, []):
                self.joins[effect.join].append(source)
            if effect.introduce and source not in self.introduces.setdefault(effect.introduce, []):
                self.introduces[effect.introduce].append(source)

    # ------------------------------------------------------------------ helpers

    def time(self, value: float) -> str:
        return f"{value:g}{self.unit}" if len(self.unit) <= 2 else f"{value:g} {self.unit}"

    def runs_text(self, count: int) -> str:
        return f"{count} of {self.total} runs"

    def unreached(self, sources: Sequence[Source]) -> bool:
        return not any(s.reached_key in self.reached for s in sources)

    # ------------------------------------------------------------------ conditions

    def static_part(self, part: Part) -> str:
        for function, value in _calls(part.tree):
            if (function, value) not in self.facts.never_true_calls:
                continue
            if function == "flag":
                return f"flag `{value}` is never set by any effect"
            if function == "met":
                return f"no chain of introductions reaches `{value}`"
        if _names(part.tree) & {"turn", "turns"}:
            return f"`{part.source}` can never hold in a {self.s.turns}-turn scenario"
        return f"`{part.source}` can never hold in this scenario"

    def part_detail(self, part: Part) -> tuple[str | None, str | None]:
        """Why one part of a condition never held, and how close its numbers came:
        (``flag `x` is set only by …`` or None, ``best seen 0.41, by narrow`` or None)."""
        tree = part.tree
        negated = isinstance(tree, Unary) and tree.op == "not"
        inner = tree.operand if isinstance(tree, Unary) and negated else tree
        if isinstance(inner, Call):
            function, value = inner.function, inner.args[0]
            if negated:
                return (f"flag `{value}` was always set" if function == "flag" else None), None
            return self.call_detail(function, value), None
        if part.measure is None or part.op is None:
            return None, None
        low, high = self.low.get(part.key), self.high.get(part.key)
        if low is None or high is None:
            return None, None
        if part.op in (">", ">="):
            return None, f"best seen {_number_text(high[0])}, by {high[1]}"
        if part.op in ("<", "<="):
            return None, f"lowest seen {_number_text(low[0])}, by {low[1]}"
        return None, f"seen from {_number_text(low[0])} to {_number_text(high[0])}"

    def call_detail(self, function: str, value: str) -> str | None:
        if function == "flag":
            setters = self.setters.get(value, [])
            if not setters:
                return f"flag `{value}` is never set to a true value by any effect"
            if self.unreached(setters):
                return f"flag `{value}` is set only by {_either(setters)}, {_none_reached(setters)}"
            return f"flag `{value}` was set in some runs, but never held when checked"
        return {
            "fired": f"event `{value}` never fired",
            "met": f"`{value}` was never met",
            "active": f"`{value}` was never on the team",
            "left": f"`{value}` never left",
            "defected": f"`{value}` never defected",
            "milestone": f"no run reached the milestone `{value}`",
        }.get(function)

    def condition(self, probe: Probe, noun: str, where: str) -> list[str]:
        """Why a condition kept its action or event from happening, if it did: it can
        never hold (static), or it never held in any run (with what fell short)."""
        if not can_be_true(probe.condition.tree, self.facts):
            return [self.never_holds(probe, noun)]
        if self.held_runs[probe.key]:
            return []
        never = [p for p in probe.parts if p.key not in self.parts_true]
        head = f"{noun} (`{probe.source}`) was never true {where}"
        if not never:
            return [head + self.never_together(probe)]
        if len(probe.parts) == 1:
            phrase, seen = self.part_detail(never[0])
            return [head + (f" ({seen})" if seen else "") + (f" — {phrase}" if phrase else "")]
        details = []
        for part in never:
            phrase, seen = self.part_detail(part)
            details.append(phrase or f"`{part.source}` never held" + (f" ({seen})" if seen else ""))
        return [f"{head} — " + "; ".join(details)]

    def never_holds(self, probe: Probe, noun: str) -> str:
        """A condition the scenario itself rules out, with the parts that do it."""
        impossible = [p for p in probe.parts if not can_be_true(p.tree, self.facts)]
        details = [self.static_part(p) for p in impossible]
        if len(probe.parts) == 1 and details and details[0].startswith("`"):
            return f"{noun} {details[0]}"
        if not details:
            details = ["its parts contradict each other"]
        return f"{noun} `{probe.source}` can never hold: " + "; ".join(details)

    def never_together(self, probe: Probe) -> str:
        """Each part held sometimes, never all at once: how many came together at best."""
        text = ": each of its parts held at some point, but never all at once"
        together = self.together.get(probe.key, frozenset())
        if together:
            left = [f"`{p.source}`" for p in probe.parts if p.key not in together]
            text += (
                f" (at best {len(together)} of {len(probe.parts)} held together, "
                f"without {', '.join(left)})"
            )
        return text

    # ------------------------------------------------------------------ items

    def action(self, action_id: str) -> list[str]:
        action = next(a for a in self.s.actions if a.id == action_id)
        budget = self.s.time_budget
        if action.cost > budget + 1e-9:
            return [f"it costs {self.time(action.cost)} but a turn has {self.time(budget)}"]
        reasons: list[str] = []
        if isinstance(action.by, list) and not self.active & set(action.by):
            reasons.append(self.nobody_to_act(action.by))
        if isinstance(action.targets, list) and not self.met & set(action.targets):
            targets = action.targets
            word = "its target" if len(targets) == 1 else "its targets"
            verb = "was" if len(targets) == 1 else "were"
            reasons.append(f"{word} ({_ids(targets)}) {verb} never met in any run")
        probe = self.probes.get(f"action:{action_id}")
        if probe is not None:
            reasons += self.condition(probe, "its `when`", "in any run")
        if reasons:
            return reasons
        key = f"action:{action_id}"
        if self.open_runs[key]:
            return [
                f"it was open in {self.runs_text(self.open_runs[key])}, but no bot chose it "
                f"(behaviour `{action.behaviour.value}`, {self.time(action.cost)})"
            ]
        if probe is not None:
            return [
                f"its `when` held in {self.runs_text(self.held_runs[probe.key])}, but never "
                "while someone could do it for someone met, with the time, cooldown and "
                "uses it needs"
            ]
        return ["it was never open (no one to do it, no one to do it for, or no time)"]

    def nobody_to_act(self, people: list[str]) -> str:
        word = f"only {_ids(people)} can do it"
        joins = [s for p in people for s in self.joins.get(p, [])]
        if not joins:
            return f"{word}, and no `join` effect brings them onto the team"
        if self.unreached(joins):
            return f"{word}, and only {_either(joins)} brings them in, {_none_reached(joins)}"
        return f"{word}, and they were never on the team"

    def event(self, event_id: str) -> list[str]:
        event = next(e for e in self.s.events if e.id == event_id)
        chance = f"its chance ({_chance(event.chance)} a turn)"
        probe = self.probes.get(f"event:{event_id}")
        if probe is None:
            return [f"{chance} never came up in any turn of {self.total} runs"]
        reasons = self.condition(probe, "its condition", "at the start of any turn")
        if reasons:
            return reasons
        turns = self.held_total[probe.key]
        held = (
            f"its condition held at the start of {turns} turn{'s' if turns != 1 else ''} "
            f"in {self.runs_text(self.held_runs[probe.key])}"
        )
        if event.chance < 1:
            return [
                f"{held}, but {chance} never came up "
                f"(about {turns * event.chance:.2g} firings expected)"
            ]
        return [f"{held} (sampled after that turn's other events), yet it never fired"]

    def answer(self, event_id: str, answer_id: str) -> list[str]:
        event = next(e for e in self.s.events if e.id == event_id)
        prefix = f"event:{event_id}:"
        counts = {
            key.removeprefix(prefix): n for key, n in self.answers.items() if key.startswith(prefix)
        }
        total = sum(counts.values())
        chosen = ", ".join(
            f"`{a}` {_pct(n / total)}"
            for a, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        why = f"no bot picks it (bots chose {chosen})" if total else "no bot picks it"
        default = event.default_choice
        if default is not None and default.id == answer_id:
            why += "; it is the default, what doing nothing means"
        return [why]

    def introduction(self, person_id: str) -> list[str]:
        person = next(p for p in self.s.customer.people if p.id == person_id)
        if not person.present and person_id not in self.present:
            joins = self.joins.get(person_id, [])
            if not joins:
                return [f"`{person_id}` never arrives: no `join` effect brings them in"]
            if self.unreached(joins):
                return [
                    f"`{person_id}` never arrives: only {_either(joins)} brings them in, "
                    f"{_none_reached(joins)}"
                ]
            return [f"`{person_id}` never arrived in any run"]
        reasons: list[str] = []
        options = introducers(self.s, person_id)
        intro = self.s.introductions
        threshold = (
            person.intro_trust if person.intro_trust is not None else self.s.dynamics.intro_trust
        )
        if intro.cost > self.s.time_budget + 1e-9:
            reasons.append(
                f"an introduction costs {self.time(intro.cost)} but a turn has "
                f"{self.time(self.s.time_budget)}"
            )
        elif not options:
            reasons.append("nobody can introduce them (no `introduced_by`, manager or reports)")
        elif not self.met & set(options):
            word = "introducer" if len(options) == 1 else "introducers"
            verb = "was" if len(options) == 1 else "were"
            reasons.append(f"their {word} ({_ids(options)}) {verb} never met in any run")
        elif self.open_runs[f"intro:{person_id}"]:
            runs = self.runs_text(self.open_runs[f"intro:{person_id}"])
            reasons.append(f"the introduction was open in {runs}, but no bot asked for it")
        else:
            best = self.intro_best.get(person_id)
            seen = (
                f" (best seen {best[0]:.2f}, by {best[1]}: `{best[2]}`'s trust in `{best[3]}`)"
                if best
                else ""
            )
            reasons.append(f"no introducer reached trust {threshold:.2f}{seen}")
        others = self.introduces.get(person_id, [])
        if others and self.unreached(others):
            reasons.append(f"{_either(others)} also introduces them, {_none_reached(others)}")
        return reasons


def explain(scenario: Scenario, runs: Runs) -> list[Unreachable]:
    """Everything no run reached, each with its reasons: actions never used, events that
    never fired, answers (of events that fired) never chosen, and customer people never
    met. `runs` holds, for each bot, each run's reached set and trace. Each kind of part
    is one entry of `EXPLAINED`."""
    why = _Explainer(scenario, runs)
    return [item for _kind, unreached in EXPLAINED for item in unreached(why)]


def _actions(why: _Explainer) -> Iterator[Unreachable]:
    for action in why.s.actions:
        if f"action:{action.id}" not in why.reached:
            yield Unreachable("action", action.id, tuple(why.action(action.id)))


def _events_and_answers(why: _Explainer) -> Iterator[Unreachable]:
    for event in why.s.events:
        if f"event:{event.id}" not in why.reached:
            yield Unreachable("event", event.id, tuple(why.event(event.id)))
            continue
        for choice in event.choices:
            if f"event:{event.id}:{choice.id}" not in why.reached:
                reasons = tuple(why.answer(event.id, choice.id))
                yield Unreachable("answer", choice.id, reasons, event.id)


def _introductions(why: _Explainer) -> Iterator[Unreachable]:
    for person in why.s.customer.people:
        if person.id not in why.met and not person.met:
            yield Unreachable("introduction", person.id, tuple(why.introduction(person.id)))


#: The kinds of part a balance run can leave unreached, and how each is explained, in
#: the order the report lists them. A new kind is one entry here.
EXPLAINED: tuple[tuple[str, Callable[[_Explainer], Iterator[Unreachable]]], ...] = (
    ("actions", _actions),
    ("events and their answers", _events_and_answers),
    ("introductions", _introductions),
)
