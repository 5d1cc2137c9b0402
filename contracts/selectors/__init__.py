"""Reads for the contracts pages: each runs a fixed number of queries."""
