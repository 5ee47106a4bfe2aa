"""Scoring: loyalty metrics over a trust graph, the final score, the leaderboard store.

Everything here is a pure function of a graph or of a run's facts; nothing
imports the Textual app.
"""
