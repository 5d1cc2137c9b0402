"""Contracts, SLAs, service credits, renewals and relationship management."""
