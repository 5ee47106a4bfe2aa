"""Benchmark: from a key to the end of the repaint it causes, in a real terminal.

    python bench/key_response.py [--rounds 8] [--block 12] [--settle 0.15]
                                 [--size 120x40] [--tree PATH] [--verbose]

Two programs run side by side, each in its own pseudo-terminal (TERM=xterm-256color,
the window size set with TIOCSWINSZ):

- `rapport play sand-supplier --seed 1 --name Bench`, with a fresh RAPPORT_HOME, taken
  past the briefing (Enter on Start) to the main screen. Each key is a move (`1`),
  the end of a turn (`e`, after --moves-per-turn moves or when no time is left), or
  the answer to an event (`1` while the event modal is open). The moves of a turn are
  its first, second, third... options (`1`, `2`, `3`): pressing `1` again would mostly
  be refused with a notice ("done this turn"), which is not a move. The game is restarted,
  between blocks, before it runs out of turns.
- a bare Textual app (`bench/bare_app.py --keys`) that, on each key, updates a label
  and replaces all the options of an option list.

For each key: t0 is taken just before the key is written; the end is the time of the
last byte read before the output has been quiet for the settle window. The figure is
end - t0. The first byte is awaited for up to --timeout seconds, and output that
draws nothing (OSC: Textual sets the mouse pointer when it pushes a screen, well
before painting it) does not open the settle window. A key that draws nothing is
counted apart, not timed. Before measuring, each program gets a few warm-up keys and
must be quiet. Which key comes next is read from the screen: the status line (turn,
time left) and the event modal's text.

The two programs take turns in blocks of keys (rounds x one block each, the order
swapped every round), so both see the same machine load: the figures that matter
are the ratios, Rapport over the bare app. --tree runs the game from another
checkout (PYTHONPATH and working directory set to it); the bare app is always
this one.

Targets: median at most 3x the bare app's; 90th percentile at most 6x.

Compare ratios at one size only: at 80x24 the bare app's 24 options overflow and
Textual paints a second frame (the scroll bar) about 30 ms after the first, so the
baseline itself is about twice as slow as at 120x40.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pty_terminal import Burst, Terminal

HERE = Path(__file__).resolve().parent
TARGET_MEDIAN = 3.0
TARGET_P90 = 6.0

#: The status line of the play screen, e.g. "Fortnight 3/24 · 01 Feb 2027 · time left 2/6h".
STATUS = re.compile(r"(\d+)/(\d+) · \d\d \w{3} \d{4} · time left ([\d.]+)/")
#: Text that only shows while an event modal waits for an answer.
EVENT_MARKERS = ("Answer the event first", "(if you do", "if you do nothing")


def describe(burst: Burst) -> str:
    """One key's figures and the status line it drew, for --verbose."""
    status = STATUS.search(burst.text)
    return f"{burst.ms or 0:7.1f} ms {burst.size:6d} B  {status.group(0) if status else ''}"


@dataclass
class Sample:
    key: str
    kind: str  # "move", "end", "answer" or "bare"
    ms: float | None  # None: the key drew nothing
    size: int
    timed_out: bool = False  # still drawing when the wait ran out
    first: bool = False  # the first key of a block, after the other program's block


@dataclass
class Settings:
    size: tuple[int, int]
    settle: float
    timeout: float
    warmup: int
    moves_per_turn: int
    verbose: bool = False


class Rapport:
    """`rapport play` on the main screen, and which key to press next."""

    def __init__(self, command: list[str], tree: Path, settings: Settings) -> None:
        self.command, self.tree, self.settings = command, tree, settings
        self.terminal: Terminal | None = None
        self.home = ""
        self.games = 0
        self.new_game()

    def new_game(self) -> None:
        """What the benchmark knows of the game: its turn, moves, time left, open event."""
        self.turn, self.turns, self.moves, self.time_left = 1, 0, 0, 1.0
        self.event = False

    def start(self) -> None:
        """A new game (in a fresh RAPPORT_HOME), past the briefing, quiet, warmed up."""
        self.stop()
        self.home = tempfile.mkdtemp(prefix="rapport-keys-")
        env = {**os.environ, "RAPPORT_HOME": self.home, "PYTHONPATH": str(self.tree)}
        s = self.settings
        self.terminal = Terminal(self.command, self.tree, env, s.size)
        self.games += 1
        self.terminal.wait_for("Start", s.settle, 10 * s.timeout)  # the briefing, its button
        # Enter: Start has the focus, as --name is given.
        burst = self.terminal.wait_for("Your moves", 3 * s.settle, 10 * s.timeout, key="\r")
        self.new_game()
        self.observe(burst)
        for _ in range(s.warmup):
            self.press()

    def stop(self) -> None:
        if self.terminal is not None:
            self.terminal.close()
            self.terminal = None
            shutil.rmtree(self.home, ignore_errors=True)

    def next_key(self) -> tuple[str, str]:
        if self.event:
            return "1", "answer"
        if self.moves >= self.settings.moves_per_turn or self.time_left <= 0:
            return "e", "end"
        # The first, second, third option in turn: a move already made this turn would
        # only be refused (a notice, not a move).
        return str(self.moves + 1), "move"

    def observe(self, burst: Burst) -> None:
        """Follow the game from what was drawn: the turn, and whether an event waits."""
        text = burst.text
        self.event = any(marker in text for marker in EVENT_MARKERS)
        status = STATUS.findall(text)
        if status:
            turn, turns, left = status[-1]
            if int(turn) != self.turn:
                self.turn, self.moves = int(turn), 0
            self.turns, self.time_left = int(turns), float(left)

    def press(self) -> Sample:
        assert self.terminal is not None
        key, kind = self.next_key()
        burst = self.terminal.press(key, self.settings.settle, self.settings.timeout)
        if not burst.drawn:
            self.event = kind == "end"  # `e` is ignored while an event waits
            self.moves = self.settings.moves_per_turn  # the key is ignored: no move left
        else:
            self.moves += kind == "move"
            self.observe(burst)
        if self.settings.verbose:
            print(f"  rapport {kind:6} {key!r} {describe(burst)}{'  event open' * self.event}")
        return Sample(key, kind, burst.ms, burst.size, burst.timed_out)

    def near_the_end(self, keys: int) -> bool:
        """Might the game end within `keys` more keys (one turn takes at least two)?"""
        return self.turns > 0 and self.turn + keys // 2 + 1 >= self.turns


class Bare:
    """The bare Textual app: every key updates a label and replaces the options."""

    KEYS = "123456789e"

    def __init__(self, command: list[str], settings: Settings) -> None:
        self.command, self.settings = command, settings
        self.terminal: Terminal | None = None
        self.count = 0

    def start(self) -> None:
        """The app on its first screen, quiet, warmed up."""
        s = self.settings
        self.terminal = Terminal(self.command, HERE.parent, dict(os.environ), s.size)
        self.terminal.wait_for("No move yet", 3 * s.settle, 10 * s.timeout)
        for _ in range(s.warmup):
            self.press()

    def press(self) -> Sample:
        assert self.terminal is not None
        key = self.KEYS[self.count % len(self.KEYS)]
        self.count += 1
        burst = self.terminal.press(key, self.settings.settle, self.settings.timeout)
        if self.settings.verbose:
            print(f"  bare    {'':6} {key!r} {describe(burst)}")
        return Sample(key, "bare", burst.ms, burst.size, burst.timed_out)

    def stop(self) -> None:
        if self.terminal is not None:
            self.terminal.close()
            self.terminal = None


@dataclass
class Run:
    rapport: list[Sample] = field(default_factory=list)
    bare: list[Sample] = field(default_factory=list)
    stray: dict[str, int] = field(default_factory=lambda: {"rapport": 0, "bare": 0})

    def count_stray(self, name: str, terminal: Terminal) -> None:
        self.stray[name] += terminal.stray
        terminal.stray = 0


def first_marked(samples: list[Sample]) -> list[Sample]:
    if samples:
        samples[0].first = True
    return samples


def rapport_block(game: Rapport, keys: int, run: Run) -> None:
    if game.terminal is None or game.near_the_end(keys):
        game.start()
    assert game.terminal is not None
    game.terminal.stray = 0  # the warm-up's, if the game was just started
    run.rapport.extend(first_marked([game.press() for _ in range(keys)]))
    run.count_stray("rapport", game.terminal)


def bare_block(bare: Bare, keys: int, run: Run) -> None:
    assert bare.terminal is not None
    bare.terminal.stray = 0  # the warm-up's
    run.bare.extend(first_marked([bare.press() for _ in range(keys)]))
    run.count_stray("bare", bare.terminal)


def measure(game: Rapport, bare: Bare, rounds: int, keys: int) -> Run:
    run = Run()
    for index in range(rounds):  # interleaved, the order swapped each round
        if index % 2:
            bare_block(bare, keys, run)
            rapport_block(game, keys, run)
        else:
            rapport_block(game, keys, run)
            bare_block(bare, keys, run)
    return run


def timed(samples: list[Sample]) -> list[float]:
    return [s.ms for s in samples if s.ms is not None]


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<22} {0:5d}      (none drew anything)"
    return f"{label:<22} {len(values):5d} {statistics.median(values):8.1f} {p90(values):8.1f}"


KINDS = (
    ("move", "  moves (1, 2, 3)"),
    ("end", "  end turn (e)"),
    ("answer", "  event answers (1)"),
)


def print_times(run: Run) -> None:
    print(f"{'key to end of repaint':<22} {'keys':>5} {'median':>8} {'p90':>8}  (ms)")
    print(line("rapport play", timed(run.rapport)))
    for kind, label in KINDS:
        print(line(label, timed([s for s in run.rapport if s.kind == kind])))
    print(line("bare Textual app", timed(run.bare)))


def print_ratios(run: Run) -> None:
    ours, base = timed(run.rapport), timed(run.bare)
    if not ours or not base:
        return
    median_ratio = statistics.median(ours) / statistics.median(base)
    p90_ratio = p90(ours) / p90(base)
    print(f"{'ratio rapport/bare':<22} {'':5} {median_ratio:8.2f} {p90_ratio:8.2f}")
    print(
        f"targets: median at most {TARGET_MEDIAN:g}x ({verdict(median_ratio, TARGET_MEDIAN)}), "
        f"90th percentile at most {TARGET_P90:g}x ({verdict(p90_ratio, TARGET_P90)})"
    )


def print_details(run: Run, game: Rapport) -> None:
    print("first key of each block (after the other program's block):")
    print(line("  rapport play", timed([s for s in run.rapport if s.first])))
    print(line("  bare Textual app", timed([s for s in run.bare if s.first])))
    silent = [f"{s.kind} {s.key!r}" for s in run.rapport if s.ms is None]
    print(
        f"keys that drew nothing: rapport {len(silent)}{' ' + str(silent) if silent else ''}, "
        f"bare {sum(s.ms is None for s in run.bare)}; "
        f"still drawing after --timeout: rapport {sum(s.timed_out for s in run.rapport)}, "
        f"bare {sum(s.timed_out for s in run.bare)}"
    )
    print(
        f"bytes per key (median): rapport {statistics.median(s.size for s in run.rapport):.0f}, "
        f"bare {statistics.median(s.size for s in run.bare):.0f}; "
        f"output between keys, unasked: rapport {run.stray['rapport']} bytes, "
        f"bare {run.stray['bare']} bytes; games played: {game.games}"
    )


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


def game_package(tree: Path) -> str:
    """Where `import game` finds the game when run as the benchmark runs it."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", "import game; print(game.__file__)"]
    return subprocess.run(
        command, cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()


def parse_size(text: str) -> tuple[int, int]:
    columns, rows = (int(n) for n in text.lower().split("x"))
    return columns, rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8, help="blocks of keys for each program")
    parser.add_argument("--block", type=int, default=12, help="keys in a block")
    parser.add_argument("--settle", type=float, default=0.15, help="quiet window, seconds")
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="longest wait for one key, seconds"
    )
    parser.add_argument(
        "--size", type=parse_size, default=(120, 40), help="COLUMNSxROWS, e.g. 80x24"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="keys pressed, not timed, at each start"
    )
    parser.add_argument("--moves-per-turn", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="print every key")
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tree", type=Path, default=HERE.parent, help="the checkout to run the game from"
    )
    return parser.parse_args()


@contextlib.contextmanager
def programs(args: argparse.Namespace) -> Iterator[tuple[Rapport, Bare]]:
    """Both programs, started; always stopped at the end."""
    settings = Settings(
        args.size, args.settle, args.timeout, args.warmup, args.moves_per_turn, args.verbose
    )
    tree = args.tree.resolve()
    command = [
        sys.executable,
        "-m",
        "game",
        "play",
        args.scenario,
        "--seed",
        str(args.seed),
        "--name",
        "Bench",
    ]
    game = Rapport(command, tree, settings)
    bare = Bare([sys.executable, str(HERE / "bare_app.py"), "--keys"], settings)
    try:
        bare.start()
        game.start()
        yield game, bare
    finally:
        game.stop()
        bare.stop()


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop both programs
    columns, rows = args.size
    print(f"game: {game_package(args.tree.resolve())} ({args.scenario}, seed {args.seed})")
    print(f"terminal {columns}x{rows}, baseline: bench/bare_app.py --keys")
    with programs(args) as (game, bare):
        run = measure(game, bare, args.rounds, args.block)
    print(f"{args.rounds} rounds of {args.block} keys each, settle {args.settle * 1e3:.0f} ms")
    print_times(run)
    print_ratios(run)
    print_details(run, game)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
