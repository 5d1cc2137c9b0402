"""The REST API for assessments, their recommendations and roadmap, and projections."""
