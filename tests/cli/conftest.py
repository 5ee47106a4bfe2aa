"""The `rapport` fixture lives in tests/conftest.py; this re-export keeps imports short."""

from tests.conftest import Runner

__all__ = ["Runner"]
