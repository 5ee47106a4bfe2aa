"""A played session: starting and resuming games, saves, the scenario listing and best
scores, the briefing's facts, run results and the debrief. No Textual here: the app
and the CLI sit on top."""
