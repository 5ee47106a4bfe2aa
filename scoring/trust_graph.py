"""The trust graph as the engine and scoring keep it: a networkx `DiGraph` that holds
on to the dicts it is built from.

networkx lets a subclass choose the dicts a graph stores its nodes and adjacency in
(its documented `node_dict_factory` and `adjlist_outer_dict_factory` hooks).
`TrustGraph` uses them to keep its own references to those dicts, `node_table`,
`succ_table` and `pred_table`, so the hot loops (loyalty over every trust edge, a
fork copying a whole game) read plain dicts instead of going through networkx's
views, which cost several times more per lookup, and never touch networkx's
private attributes. Everything else (adding edges, algorithms, drawing) goes
through the graph as usual; the tables are read, and attributes in them changed,
but nodes and edges are added and removed only through the graph's API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

NodeTable = dict[str, dict[str, Any]]
AdjacencyTable = dict[str, dict[str, dict[str, Any]]]


class TrustGraph(nx.DiGraph):
    """A `DiGraph` whose node, successor and predecessor dicts are its own attributes."""

    node_table: NodeTable
    succ_table: AdjacencyTable
    pred_table: AdjacencyTable

    def node_dict_factory(self) -> NodeTable:
        """The node dict, kept as `node_table` (networkx calls this once, first)."""
        self.node_table = {}
        return self.node_table

    def adjlist_outer_dict_factory(self) -> AdjacencyTable:
        """The successor dict, then the predecessor dict (networkx makes them in that
        order), kept as `succ_table` and `pred_table`."""
        table: AdjacencyTable = {}
        if "succ_table" in self.__dict__:
            self.pred_table = table
        else:
            self.succ_table = table
        return table


def node_table(graph: nx.DiGraph) -> Mapping[str, dict[str, Any]]:
    """`graph`'s nodes and their data: the table itself for a `TrustGraph`, networkx's
    read-only view for any other graph."""
    if isinstance(graph, TrustGraph):
        return graph.node_table
    return graph.nodes


def succ_table(graph: nx.DiGraph) -> Mapping[str, Mapping[str, dict[str, Any]]]:
    """`graph`'s successors and their edge data, as :func:`node_table` does nodes."""
    if isinstance(graph, TrustGraph):
        return graph.succ_table
    return graph.succ
