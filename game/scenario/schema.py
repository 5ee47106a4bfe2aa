"""The JSON Schema of the scenario format, generated from the pydantic models.

The bundled copy (`scenarios/rapport.schema.json`) must equal this; a test
keeps them in step.
"""

from __future__ import annotations

from typing import Any

from game.scenario.models import Scenario

SCHEMA_FILE = "rapport.schema.json"


def scenario_schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return schema
