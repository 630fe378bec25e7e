"""Verbs of the vaccination drive; each takes the acting user and runs in one transaction."""
