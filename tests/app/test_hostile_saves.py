"""Saves that could crash the game: set aside with their data kept, reported, never a crash.

Also: temporary files that a killed save left behind are cleaned up at start.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from game.app.app import RapportApp
from game.app.screens.picker import PickerScreen
from game.play.saves import ORPHAN_AGE
from tests.app.conftest import settle

LOG = {
    "format": "rapport-runlog",
    "version": 1,
    "scenario": "sand-supplier",
    "scenario_hash": "sha256:" + "0" * 64,
    "seed": 1,
    "choices": [],
}


def save_text(**changes: object) -> str:
    return json.dumps({**LOG, **changes})


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (save_text().replace('"seed": 1', '"seed": ' + "7" * 5000), "a number of 5,000 digits"),
        (save_text(seed=2**64), '"seed" 18446744073709551616 is out of range'),
        (save_text(seed=-(2**63) - 1), '"seed" -9223372036854775809 is out of range'),
        (save_text(player="\udc80"), '"player" is not valid Unicode text'),
        (save_text(scenario="/etc/passwd"), "'/etc/passwd' is not a scenario id"),
        (save_text(scenario_path="/proc/self/environ"), '"scenario_path" is not the path'),
    ],
)
@pytest.mark.parametrize("where", ["autosave.json", "autosaves/sand-supplier.json"])
async def test_a_hostile_save_is_set_aside_and_reported(
    rapport_home: Path, content: str, problem: str, where: str
) -> None:
    """In the old single save and in a scenario's own save alike."""
    saves = rapport_home / "saves"
    path = saves / where
    path.parent.mkdir(parents=True)
    path.write_text(content)
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)  # the game starts, with a fresh list
        assert all(not item.key.startswith("continue") for item in app.screen.items)
        notes = [n.message for n in app._notifications]
    (kept,) = path.parent.glob(f"{path.stem}.corrupt-*.json")
    assert kept.read_text() == content  # every byte kept
    assert not path.exists()
    (note,) = [n for n in notes if "could not be read" in n]
    assert problem in note and str(path) in note and str(kept) in note


async def test_one_unreadable_save_hides_no_other_game(rapport_home: Path) -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("ctrl+q", "y")
    autosaves = rapport_home / "saves" / "autosaves"
    (autosaves / "director-to-ceo.json").write_text("{half a save")
    (autosaves / "loyalty-force.json").write_text(save_text(scenario="second-sale"))
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        games = [item for item in app.screen.items if item.key.startswith("continue")]
        assert [item.key for item in games] == ["continue:sand-supplier"]
        notes = [n.message for n in app._notifications if "could not be read" in n.message]
    assert len(notes) == 2, notes
    assert any("it holds a game of 'second-sale', not of 'loyalty-force'" in n for n in notes)
    (kept,) = autosaves.glob("director-to-ceo.corrupt-*.json")
    assert kept.read_text() == "{half a save"
    assert len(list(autosaves.glob("loyalty-force.corrupt-*.json"))) == 1


async def test_orphaned_temporary_saves_are_cleaned_up_at_start(rapport_home: Path) -> None:
    saves = rapport_home / "saves"
    (saves / "runs").mkdir(parents=True)
    old = time.time() - ORPHAN_AGE - 60
    (saves / "autosaves").mkdir()
    orphans = [
        saves / ".autosave.json.k1ll3d.tmp",
        saves / "runs" / ".sand-seed1.json.x9.tmp",
        saves / "autosaves" / ".sand-supplier.json.x1.tmp",
    ]
    for orphan in orphans:
        orphan.write_text('{"half": ')
        os.utime(orphan, (old, old))
    in_flight = saves / ".autosave.json.writing.tmp"  # another Rapport saving right now
    in_flight.write_text("{")
    keep = [saves / "notes.tmp", saves / "runs" / "kept.json"]  # not ours to delete
    for path in keep:
        path.write_text("mine")
        os.utime(path, (old, old))
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
    assert not any(orphan.exists() for orphan in orphans)
    assert in_flight.exists() and all(path.exists() for path in keep)
