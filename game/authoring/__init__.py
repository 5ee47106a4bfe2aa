"""Tools for scenario authors: the id index behind `rapport lsp`, and `rapport map`.

Nothing here imports Textual; the language server itself (`game.authoring.lsp`) is
the only module that imports pygls, and only `rapport lsp` imports it.
"""
