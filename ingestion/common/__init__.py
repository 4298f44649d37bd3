"""Helpers shared by every Seamline connector: HTTP with retries, edge validation, quarantine."""
