"""`rapport lsp`, started as a real subprocess and spoken to over stdio with pygls's
client: diagnostics as you type, completion, hover and go-to-definition."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests.conftest import MINI, scenario_text

TIMEOUT = 30

EVENT = """\
events:
  - id: visit
    title: A visit
    text: "{target} visits."
    target: buyer
    effects:
      - trust: { delta: 0.1 }
"""


class Client(LanguageClient):
    """A client that keeps every diagnostics notification, newest last."""

    def __init__(self) -> None:
        super().__init__("rapport-tests", "1")
        self.diagnostics: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Condition()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with self.arrived:
                self.diagnostics.setdefault(params.uri, []).append(params)
                self.arrived.notify_all()

    async def next_diagnostics(self, uri: str, seen: int) -> types.PublishDiagnosticsParams:
        """The first diagnostics for `uri` after the `seen` already received."""
        async with self.arrived:
            await asyncio.wait_for(
                self.arrived.wait_for(lambda: len(self.diagnostics.get(uri, [])) > seen),
                TIMEOUT,
            )
            return self.diagnostics[uri][seen]


@asynccontextmanager
async def server(folder: Path) -> AsyncIterator[Client]:
    client = Client()
    env = {**os.environ, "NO_COLOR": "1"}
    await client.start_io(sys.executable, "-m", "game", "lsp", cwd=str(folder), env=env)
    try:
        await asyncio.wait_for(
            client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    process_id=os.getpid(),
                    root_uri=folder.as_uri(),
                )
            ),
            TIMEOUT,
        )
        client.initialized(types.InitializedParams())
        yield client
    finally:
        try:
            await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
            client.exit(None)
            await asyncio.wait_for(client.stop(), TIMEOUT)
        finally:
            if client._server is not None and client._server.returncode is None:
                client._server.kill()


def open_document(client: Client, path: Path, text: str) -> str:
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    return uri


def change_document(client: Client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def where(text: str, marker: str, offset: int = 0) -> types.Position:
    """The position of the first `marker` in `text` (plus `offset` characters)."""
    index = text.index(marker) + offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


async def test_an_unknown_person_is_a_diagnostic_on_its_line_until_fixed(tmp_path: Path) -> None:
    # The emoji is two UTF-16 code units: the columns the editor gets count those.
    broken = scenario_text(
        replace=(("name: Bea,", 'name: "Bea 🙂",'), ("reports_to: boss", "reports_to: bos"))
    )
    async with server(tmp_path) as client:
        uri = open_document(client, tmp_path / "mini.yaml", broken)
        published = await client.next_diagnostics(uri, 0)
        assert published.diagnostics, "no diagnostics for an unknown person"
        problem = published.diagnostics[0]
        start = where(broken, "reports_to: bos", len("reports_to: "))
        start.character += 1
        assert problem.range.start == start
        assert problem.range.end.character == start.character + len("bos")
        assert problem.severity == types.DiagnosticSeverity.Error
        assert problem.source == "rapport"
        assert "bos" in problem.message
        assert isinstance(problem.code, str) and re.fullmatch(r"R\d{3}", problem.code)

        change_document(client, uri, 2, MINI)  # fixed while typing
        fixed = await client.next_diagnostics(uri, 1)
        assert len(fixed.diagnostics) == 0

        warned = scenario_text(
            "intended: [R501, R507]\n",
            replace=(("cooldown: 2", "cooldown: 2\n    when: flag(unset)"),),
        )
        change_document(client, uri, 3, warned)  # a flag nothing sets, meant: warnings only
        warnings = await client.next_diagnostics(uri, 2)
        assert warnings.diagnostics
        assert {d.severity for d in warnings.diagnostics} == {types.DiagnosticSeverity.Warning}


async def test_completion_hover_and_definition(tmp_path: Path) -> None:
    text = scenario_text(EVENT)
    async with server(tmp_path) as client:
        uri = open_document(client, tmp_path / "mini.yaml", text)
        await client.next_diagnostics(uri, 0)
        document = types.TextDocumentIdentifier(uri=uri)

        # Completion after `target:` offers the customer's people, not the supplier's.
        position = where(text, "target: buyer", len("target: "))
        completed = await asyncio.wait_for(
            client.text_document_completion_async(
                types.CompletionParams(text_document=document, position=position)
            ),
            TIMEOUT,
        )
        assert isinstance(completed, types.CompletionList)
        labels = [item.label for item in completed.items]
        assert {"boss", "buyer", "vp"} <= set(labels)
        assert "you" not in labels and "tech" not in labels

        # Hover over the manager in `reports_to: boss` shows who that is.
        hovered = await asyncio.wait_for(
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=document, position=where(text, "reports_to: boss", 13)
                )
            ),
            TIMEOUT,
        )
        assert hovered is not None
        assert isinstance(hovered.contents, types.MarkupContent)
        assert "Director" in hovered.contents.value and "Bo" in hovered.contents.value
        assert "influence 0.5" in hovered.contents.value

        # Go to definition from `target: buyer` lands on buyer's id.
        found = await asyncio.wait_for(
            client.text_document_definition_async(
                types.DefinitionParams(
                    text_document=document, position=where(text, "target: buyer", 9)
                )
            ),
            TIMEOUT,
        )
        assert isinstance(found, types.Location)
        assert found.uri == uri
        assert found.range.start == where(text, "id: buyer", len("id: "))

        # A document that no longer parses still completes, from its last good version.
        broken = text + "  - id: visit2\n    actor: [te\n"
        change_document(client, uri, 2, broken)
        await client.next_diagnostics(uri, 1)
        position = where(broken, "actor: [te", len("actor: [te"))
        completed = await asyncio.wait_for(
            client.text_document_completion_async(
                types.CompletionParams(text_document=document, position=position)
            ),
            TIMEOUT,
        )
        assert isinstance(completed, types.CompletionList)
        assert "tech" in [item.label for item in completed.items]


async def test_hover_answers_while_a_large_document_is_checked(tmp_path: Path) -> None:
    """The check runs off the event loop: a hover sent just after opening a large
    document is answered before that document's diagnostics arrive."""
    text = scenario_text() + "".join(f"unknown_key_{i}: {i}\n" for i in range(20_000))
    async with server(tmp_path) as client:
        uri = open_document(client, tmp_path / "big.yaml", text)
        hovered = await asyncio.wait_for(
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=where(text, "reports_to: boss", 13),
                )
            ),
            TIMEOUT,
        )
        assert not client.diagnostics.get(uri)  # the hover came first
        published = await client.next_diagnostics(uri, 0)
        assert len(published.diagnostics) == 201  # bounded: 200 and "more not shown"
    assert hovered is not None and "Bo" in str(hovered.contents)


def test_a_frame_with_a_wrong_length_is_dropped_and_the_stream_goes_on(tmp_path: Path) -> None:
    import json
    import subprocess

    def frame(payload: dict, length_delta: int = 0) -> bytes:
        body = json.dumps(payload).encode()
        return f"Content-Length: {len(body) + length_delta}\r\n\r\n".encode() + body

    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
    bad = {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}
    good = {"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None}
    stream = frame(initialize) + frame(bad, -5) + frame(good)
    done = subprocess.run(
        [sys.executable, "-m", "game", "lsp"],
        input=stream,
        capture_output=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
    )
    answers, rest = [], done.stdout
    while found := re.search(rb"Content-Length: (\d+)\r\n(?:[^\r\n]+\r\n)*\r\n", rest):
        start = found.end()
        answers.append(json.loads(rest[start : start + int(found.group(1))]))
        rest = rest[start + int(found.group(1)) :]
    assert [answer.get("id") for answer in answers if "id" in answer] == [1, 3]
    assert b"Traceback" not in done.stderr
    assert b"Unable to handle message" in done.stderr
