"""The CIO portfolio dashboard: selectors, figures, caching and the board pack."""
