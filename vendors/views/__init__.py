"""Vendor-selection pages, grouped by resource."""
