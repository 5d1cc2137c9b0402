"""The REST API's shared parts: token authentication, organisation access, throttles,
pagination, money fields and the error format. Each app's endpoints live in its own
``api/`` package and build on these; ``outsourcing/api/urls.py`` mounts them at /api/v1/.
"""
