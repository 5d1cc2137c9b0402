"""Vendor registry, criteria, sourcing events and ranking."""
