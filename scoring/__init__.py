"""Scoring: loyalty metrics over a trust graph, and the final score.

Everything here is a pure function of a graph or of a run's facts: no files,
no database (the leaderboard lives in `game.workshop.board`), and nothing imports the
Textual app.
"""
