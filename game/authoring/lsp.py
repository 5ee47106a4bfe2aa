"""`rapport lsp`: a language server for scenario files, on standard input and output.

It publishes what `rapport validate` finds as the author types (on open, on change
after a short pause, and on save), completes the ids of people, actions, events,
flags and metrics, shows who or what an id is on hover, and jumps to where an id is
defined. The answers come from :mod:`game.authoring.ids` and
:mod:`game.authoring.diagnostics`; this module only speaks the protocol.

A document that does not parse keeps the ids of its last good version, so
completion and hover go on working while a line is half typed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from game import __version__
from game.authoring.diagnostics import check_text, problem_span
from game.authoring.id_building import build_index
from game.authoring.id_index import Completion, IdIndex, Span
from game.authoring.ids import complete_at, definition_at

SOURCE = "rapport"
#: Seconds without typing before a changed document is checked again.
DEBOUNCE = 0.3
TRIGGER_CHARACTERS = [" ", "(", "[", ",", ".", "{"]

_KINDS = {
    "customer": types.CompletionItemKind.Reference,
    "supplier": types.CompletionItemKind.Reference,
    "rep": types.CompletionItemKind.Reference,
    "competitor": types.CompletionItemKind.Class,
    "action": types.CompletionItemKind.Method,
    "event": types.CompletionItemKind.Event,
    "flag": types.CompletionItemKind.Constant,
    "variable": types.CompletionItemKind.Variable,
    "function": types.CompletionItemKind.Function,
    "keyword": types.CompletionItemKind.Keyword,
    "enum": types.CompletionItemKind.EnumMember,
}
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
}


#: Diagnostics sent for one document at most (the rest are counted in one more).
MAX_DIAGNOSTICS = 200


class ResyncingReader(StdinAsyncReader):
    """Standard input as pygls reads it, made to find its step again after a bad frame.

    A frame whose Content-Length is too short leaves the rest of its body in front of
    the next frame's header; pygls would then never see a header at the start of a line
    again. A header line that has anything before `Content-Length:` is read from there,
    so one bad frame is dropped and the next is read.
    """

    async def readline(self) -> bytes:
        line = await super().readline()
        start = line.find(b"Content-Length:")
        return line[start:] if start > 0 else line


class RapportLanguageServer(LanguageServer):
    """The server, with the last good id index of each open document."""

    def __init__(self) -> None:
        super().__init__("rapport", __version__)
        self.indexes: dict[str, IdIndex] = {}
        self.latest: dict[str, int] = {}

    def start_io_resyncing(self) -> None:
        """Serve on standard input and output, finding the step again after a bad frame."""
        self._stop_event = threading.Event()
        reader = ResyncingReader(sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
        try:
            asyncio.run(
                run_async(
                    stop_event=self._stop_event,
                    reader=reader,
                    protocol=self.protocol,
                    logger=_frames_logger(),
                    error_handler=self.report_server_error,
                )
            )
        except BrokenPipeError:
            logging.getLogger(__name__).error("the editor closed the connection")
        except (KeyboardInterrupt, SystemExit):
            logging.getLogger(__name__).info("stopped")
        finally:
            self.shutdown()

    # ----------------------------------------------------------------- helpers

    def index_for(self, document: TextDocument, hint_line: int | None = None) -> IdIndex | None:
        """The document's ids now, or from its last version that could be read."""
        index = build_index(document.source, hint_line)
        if index is None:
            return self.indexes.get(document.uri)
        if index.repaired:  # some lines were left out: keep their ids from before
            index = index.merged_with(self.indexes.get(document.uri))
        self.indexes[document.uri] = index
        return index

    async def check(self, uri: str) -> None:
        """Publish the document's problems, one diagnostic each.

        The check runs in a worker thread, so hover, completion and go-to-definition
        answer while a large document is being checked; a result that a newer version
        of the document has overtaken is not published.
        """
        document = self.workspace.get_text_document(uri)
        version = document.version
        path = to_fs_path(uri)
        name = path or uri
        folder = Path(path).parent if path else None
        try:
            problems = await asyncio.get_running_loop().run_in_executor(
                None, check_text, document.source, name, folder
            )
        except Exception:  # a bug here must not take the server down with it
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"rapport: checking {name} failed:\n{traceback.format_exc()}",
                )
            )
            return
        document = self.workspace.get_text_document(uri)
        if uri not in self.latest or document.version != version:
            return  # closed, or changed while it was checked: the newer check publishes
        lines = document.lines
        shown = problems[:MAX_DIAGNOSTICS]
        diagnostics = [
            types.Diagnostic(
                range=_range(document, problem_span(lines, problem.line, problem.col)),
                message=problem.message,
                severity=_SEVERITY.get(problem.severity, types.DiagnosticSeverity.Error),
                source=SOURCE,
                code=problem.code or None,
            )
            for problem in shown
        ]
        if len(problems) > len(shown):  # a bound: an editor cannot use thousands anyway
            diagnostics.append(
                types.Diagnostic(
                    range=_range(document, problem_span(lines, 1, 1)),
                    message=f"{len(problems) - len(shown):,} more problems not shown: fix the "
                    "first ones, or run `rapport validate` on the file",
                    severity=types.DiagnosticSeverity.Information,
                    source=SOURCE,
                )
            )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=document.version
            )
        )
        self.index_for(document)


class _OneLine(logging.Formatter):
    """A log line without the traceback: a bad frame is the editor's problem, not ours."""

    def formatException(self, ei: object) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None
        message = super().format(record)
        if record.exc_info and record.exc_info[1] is not None:
            message += f": {record.exc_info[1]}"
        return message


def _frames_logger() -> logging.Logger:
    """The logger of the frame loop: one line per bad frame on standard error."""
    logger = logging.getLogger("rapport.lsp.frames")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLine("rapport lsp: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def _range(document: TextDocument, span: Span) -> types.Range:
    """`span` (in characters) as a range in the client's units, kept inside the text."""
    lines = document.lines
    line = min(span.line, max(len(lines) - 1, 0))
    text = lines[line].rstrip("\r\n") if lines else ""
    start = min(span.col, len(text))
    end = min(span.col + span.length, len(text))
    return document.range_to_client_units(
        ServerTextRange(ServerTextPosition(line, start), ServerTextPosition(line, end))
    )


def _completion_item(
    document: TextDocument, line: int, end: int, item: Completion, order: int
) -> types.CompletionItem:
    edit_range = document.range_to_client_units(
        ServerTextRange(ServerTextPosition(line, item.start), ServerTextPosition(line, end))
    )
    return types.CompletionItem(
        label=item.label,
        kind=_KINDS.get(item.kind, types.CompletionItemKind.Text),
        detail=item.detail or None,
        documentation=(
            types.MarkupContent(kind=types.MarkupKind.Markdown, value=item.documentation)
            if item.documentation
            else None
        ),
        sort_text=f"{order:04d}",
        filter_text=item.label,
        text_edit=types.TextEdit(range=edit_range, new_text=item.label),
    )


def make_server() -> RapportLanguageServer:
    """A language server with every feature registered (not yet started)."""
    server = RapportLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: RapportLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.latest[params.text_document.uri] = params.text_document.version
        await ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(
        ls: RapportLanguageServer, params: types.DidChangeTextDocumentParams
    ) -> None:
        uri, version = params.text_document.uri, params.text_document.version
        ls.latest[uri] = version
        await asyncio.sleep(DEBOUNCE)
        if ls.latest.get(uri) == version:  # no newer change while we waited
            await ls.check(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: RapportLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RapportLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.indexes.pop(uri, None)
        ls.latest.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS),
    )
    def completion(
        ls: RapportLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList:
        document = ls.workspace.get_text_document(params.text_document.uri)
        position = document.position_from_client_units(params.position)
        index = ls.index_for(document, position.line)
        if index is None:
            return types.CompletionList(is_incomplete=False, items=[])
        invoked = (
            params.context is None
            or params.context.trigger_kind != types.CompletionTriggerKind.TriggerCharacter
        )
        found = complete_at(
            index, document.lines, position.line, position.character, invoked=invoked
        )
        items = [
            _completion_item(document, position.line, position.character, item, order)
            for order, item in enumerate(found)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: RapportLanguageServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        position = document.position_from_client_units(params.position)
        index = ls.index_for(document)
        if index is None:
            return None
        found = definition_at(index, document.lines, position.line, position.character)
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.hover)
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(
        ls: RapportLanguageServer, params: types.DefinitionParams
    ) -> types.Location | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        position = document.position_from_client_units(params.position)
        index = ls.index_for(document)
        if index is None:
            return None
        found = definition_at(index, document.lines, position.line, position.character)
        if found is None or found.span is None:
            return None
        return types.Location(uri=document.uri, range=_range(document, found.span))

    return server


def serve(log_file: str | None = None) -> None:
    """Run the language server on standard input and output until the editor stops it."""
    if log_file:
        logging.basicConfig(
            filename=log_file, level=logging.DEBUG, format="%(asctime)s %(name)s %(message)s"
        )
    server = make_server()
    server.start_io_resyncing()
