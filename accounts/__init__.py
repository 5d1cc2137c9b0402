"""Organisations, memberships and roles; the one place that answers who may see what."""
