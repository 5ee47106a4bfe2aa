"""`rapport lsp` and `rapport map`: tools for scenario authors and trainers."""

from __future__ import annotations

import click

from game.cli import CONTEXT, version_option

#: The formats of `rapport map` (game.authoring.story_map.FORMATS, without importing it).
MAP_FORMATS = ("text", "mermaid", "dot")


@click.command(context_settings=CONTEXT)
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (what it always does; editors may pass it).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False),
    help="Write the server's debug log to this file.",
)
@version_option
def lsp(stdio: bool, log_file: str | None) -> None:
    """Run the scenario language server, for editors, on standard input and output.

    It checks scenario files as you type (the same problems as `rapport validate`),
    completes the ids of people, actions, events, flags and metrics, shows who or what
    an id is on hover, and jumps to where an id is defined. See docs/editors.md.
    """
    from game.authoring.lsp import serve

    serve(log_file)


@click.command("map", context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--format",
    "form",
    type=click.Choice(MAP_FORMATS),
    default="text",
    show_default=True,
    help="Plain text, a Mermaid flowchart, or a Graphviz DOT graph.",
)
@version_option
def map_command(scenario: str, form: str) -> None:
    """Show the shape of SCENARIO (a bundled id or a .yaml path) for a trainer.

    The customer's reporting lines; who can introduce you to whom, and the trust it
    takes; how many introductions each person is from the people met at the start;
    and the events and moves with the flags each sets and reads.
    """
    from game.authoring.story_map import story_map
    from game.scenario.catalog import resolve_scenario

    loaded = resolve_scenario(scenario)
    click.echo(story_map(loaded.scenario, form), nl=False)


COMMANDS = [lsp, map_command]
