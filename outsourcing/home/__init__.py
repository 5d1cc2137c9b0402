"""The home page's reads: where the organisation stands in the lifecycle."""
