"""Text templates: the starter scenario that `rapport new` writes."""
