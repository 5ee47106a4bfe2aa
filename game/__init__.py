"""Rapport: a sales-training simulation game about customer trust and loyalty."""

__version__ = "0.1.0"
