"""Assessment views: the wizard, the results pages and projections."""
