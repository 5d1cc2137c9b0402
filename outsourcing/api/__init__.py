"""The REST API's root at /api/v1/: every app's endpoints, the schema and its docs."""
