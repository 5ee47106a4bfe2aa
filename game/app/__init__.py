"""The Textual app: a front end over the engine that holds no game rules of its own.

Importing this package imports Textual but not the engine: heavy modules
(networkx, pydantic, the scenarios) load after the first frame is painted.
"""
