"""The scenarios bundled with Rapport (YAML files) and the scenario JSON Schema."""
