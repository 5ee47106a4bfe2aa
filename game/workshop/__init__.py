"""Workshops: many trainees on one scenario and seed, ranked on a board.

| module | holds |
|---|---|
| `board` | the stores: a SQLite file or a PostgreSQL server |
| `workshops` | workshop codes; the workshops a trainer creates |
| `submit` | run logs scored by replay, with par, onto the board |
| `par` | the reference bot's score on a seed |
| `room` | what a workshop room did, from the stored run logs |
| `formats` | the board as a table, CSV, JSON or one HTML page |
| `leaderboard` | the one door the app and the CLI use to reach a board |
| `serve` | the game in web browsers, one process per tab (`rapport serve`) |
"""
