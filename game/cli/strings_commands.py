"""`rapport strings`: a scenario's lines for translators, and a check of a translation."""

from __future__ import annotations

import json
from pathlib import Path

import click

from game.cli import CONTEXT, version_option


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from game.common.language import is_language_code

    if value is not None and not is_language_code(value):
        raise click.BadParameter(
            f"'{value[:40]}' is not a language code: write one such as fr, de or pt-BR"
        )
    return value


LANG = click.option(
    "--lang",
    "language",
    metavar="CODE",
    callback=_language,
    help="The language: fr, de, pt-BR… (qps is the pseudo-language, for testing).",
)


@click.group(context_settings=CONTEXT)
@version_option
def strings() -> None:
    """Translate a scenario: export its lines as a PO file, and check a translation.

    Every line a player reads has a stable id (events.damp_load.text); a translation
    of scenario ID into language LANG is the PO file ID.LANG.po, beside the scenario,
    in ./scenarios or in your scenario folder. `rapport play ID --lang LANG` plays it.
    See docs/translating.md.
    """


@strings.command("export", context_settings=CONTEXT)
@click.argument("scenario")
@LANG
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the PO file here (default: standard output). An existing translation "
    "here is brought up to date, not lost.",
)
@version_option
def export_command(scenario: str, language: str | None, output: Path | None) -> None:
    """Write SCENARIO's lines as a PO file to translate.

    Without --lang, a template. With --lang, the translation in that language (the file
    at --output, or the one `play --lang` would find) brought up to date: new lines
    empty, changed lines marked fuzzy with their old text, removed lines obsolete.
    With --lang qps, every line in the pseudo-language.
    """
    from game.authoring.strings import export
    from game.common.i18n import PSEUDO
    from game.scenario.catalog import resolve_scenario
    from game.scenario.translations import read_po, translation_file

    loaded = resolve_scenario(scenario)
    previous = None
    if language is not None:
        found = output if output is not None and output.is_file() else None
        found = found or translation_file(loaded, language)
        previous = None if found is None else read_po(found)
    po = export(loaded, language, previous=previous, fill_pseudo=language == PSEUDO)
    text = po.__unicode__()
    if output is None:
        click.echo(text, nl=False)
        return
    from game.common.files import write_text_atomic

    write_text_atomic(output, text)
    click.echo(f"wrote {len(po)} lines to {output}", err=True)


@strings.command("check", context_settings=CONTEXT)
@click.argument("scenario")
@LANG
@click.option(
    "--po",
    "po_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Check this PO file (default: the translation `play --lang` would find).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@version_option
def check_command(scenario: str, language: str | None, po_path: Path | None, as_json: bool) -> None:
    """Report the lines of SCENARIO a translation lacks: missing, stale (the line has
    changed since, or is marked fuzzy) and broken (a placeholder lost or added); and
    entries for lines that are gone. Exits 1 unless every line is translated."""
    from game.authoring.strings import check
    from game.scenario.catalog import resolve_scenario
    from game.scenario.translations import TranslationError, read_po, translation_file

    if po_path is None and language is None:
        raise click.UsageError("give --lang CODE or --po FILE")
    loaded = resolve_scenario(scenario)
    path = po_path or translation_file(loaded, language or "")
    if path is None:
        raise TranslationError(
            f"there is no '{language}' translation of {loaded.scenario.id} beside it, in "
            "./scenarios or in your scenario folder"
        )
    report = check(loaded, read_po(path), str(path))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for kind in ("missing", "stale", "broken", "obsolete"):
            for finding in getattr(report, kind):
                where = f"{path}:{finding.at}" if finding.at else str(path)
                click.echo(f"{where}: {finding.line}: {kind}: {finding.problem}")
        click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


@strings.command("interface", context_settings=CONTEXT)
@LANG
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the PO file here (default: standard output). An existing catalogue here "
    "is brought up to date, not lost.",
)
@version_option
def interface_command(language: str | None, output: Path | None) -> None:
    """Write the interface's own sentences (keys, headings, prompts) as a PO file.

    Without --lang, a template. With --lang, that language's catalogue (the file at
    --output, or the one Rapport would use) brought up to date. Put a catalogue in
    the `locale` folder of your Rapport data folder as CODE.po, and `rapport play
    --lang CODE` speaks it.
    """
    from game.authoring.interface_strings import interface_catalogue, interface_template
    from game.common.i18n import catalogue_file
    from game.scenario.translations import read_po

    if language is None:
        po = interface_template()
    else:
        found = output if output is not None and output.is_file() else catalogue_file(language)
        po = interface_catalogue(language, None if found is None else read_po(found))
    text = po.__unicode__()
    if output is None:
        click.echo(text, nl=False)
        return
    from game.common.files import write_text_atomic

    write_text_atomic(output, text)
    click.echo(f"wrote {len(po)} sentences to {output}", err=True)


COMMANDS = [strings]
