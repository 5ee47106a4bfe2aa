"""Fast deep copies of a game's state, for forks.

`copy.deepcopy` of a game's graph and state costs more than playing a turn. These
copy only what can change in place (dicts, lists, sets, slotted records) and share
what cannot (strings, numbers, tuples of them), keeping networkx's layout of the
graph: one attribute dict per edge, shared by the successor and predecessor tables.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from game.engine.graph import tables
from game.engine.state import GameState
from scoring.trust_graph import TrustGraph

#: Values a fork can share with its parent: they never change in place.
_ATOMS = frozenset({str, int, float, bool, type(None), frozenset})
#: Containers a fork copies itself, several times faster than `copy.deepcopy`.
_DICTS = frozenset({dict, Counter, defaultdict})
#: The attributes of plain classes with `__slots__` only (None for other classes).
_SLOTS: dict[type, tuple[str, ...] | None] = {}
#: Methods by which a class says how it is copied: `copy.deepcopy` must do it.
_CUSTOM_COPY = frozenset({"__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__"})


def copy_value(value: Any, memo: dict[int, Any]) -> Any:
    """A deep copy of `value`, as `copy.deepcopy(value, memo)` makes it but faster, and
    sharing what never changes in place (strings, numbers, tuples of them)."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    copied = memo.get(id(value))
    if copied is not None:
        return copied
    if kind in _DICTS:
        copied = value.copy()  # keeps a Counter's type and a defaultdict's factory
        for key, item in value.items():
            if type(item) not in _ATOMS:
                copied[key] = copy_value(item, memo)
    elif kind is list:
        copied = [item if type(item) in _ATOMS else copy_value(item, memo) for item in value]
    elif isinstance(value, tuple) and all(type(item) in _ATOMS for item in value):
        return value  # log entries, keys and other records of plain values
    elif kind is set:
        copied = set(value)  # members are hashable, so never changed in place
    else:
        slots = _slots(kind)
        if slots is None:
            return copy.deepcopy(value, memo)
        copied = memo[id(value)] = object.__new__(kind)
        for name in slots:
            if hasattr(value, name):
                object.__setattr__(copied, name, copy_value(getattr(value, name), memo))
        return copied
    memo[id(value)] = copied
    return copied


def _slots(kind: type) -> tuple[str, ...] | None:
    """The attributes of a plain class that keeps them all in `__slots__` (the game's
    state, its loyalty cache), or None for a class `copy.deepcopy` must handle."""
    if kind not in _SLOTS:
        names: tuple[str, ...] | None = ()
        for cls in kind.__mro__[:-1]:
            own = cls.__dict__.get("__slots__")
            if own is None or "__dict__" in own or _CUSTOM_COPY & cls.__dict__.keys():
                names = None
                break
            names = (*(names or ()), *((own,) if isinstance(own, str) else own))
        _SLOTS[kind] = names
    return _SLOTS[kind]


def _copy_attrs(data: dict) -> dict:
    """A copy of a node's or edge's attribute dict; mutable values are copied deeply."""
    copied = data.copy()
    for key, value in data.items():
        if type(value) not in _ATOMS:
            copied[key] = copy.deepcopy(value)
    return copied


def copy_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A deep copy of a trust graph, many times faster than `copy.deepcopy`.

    Each edge's attribute dict is shared by the successor and predecessor
    tables, as networkx keeps it, and both keep their order.
    """
    nodes, successors, predecessors = tables(graph)
    copied = TrustGraph()  # its tables are filled below, in networkx's own layout
    copied.graph = _copy_attrs(graph.graph)
    copied.node_table.update({node: _copy_attrs(data) for node, data in nodes.items()})
    succ = copied.succ_table
    succ.update(
        {
            source: {target: _copy_attrs(data) for target, data in targets.items()}
            for source, targets in successors.items()
        }
    )
    copied.pred_table.update(
        {
            node: {source: succ[source][node] for source in sources}
            for node, sources in predecessors.items()
        }
    )
    return copied


def copy_state(state: GameState) -> GameState:
    """A deep copy of a game's state whose graph, and everything that holds the graph
    or its tables (the loyalty cache, the node and successor tables), is the copy's."""
    old = state.graph
    graph = copy_graph(old)
    memo: dict[int, Any] = {id(old): graph}
    for table, copied_table in zip(tables(old), tables(graph), strict=True):
        memo[id(table)] = copied_table
    copied: GameState = copy_value(state, memo)
    return copied
