"""The contracts app's REST API under /api/v1/ (``routes.py``), and the older measurements
endpoint at /contracts/api/measurements/ (``legacy.py``, deprecated)."""
