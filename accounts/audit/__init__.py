"""The audit trail: every write to the domain models, and every log-in, log-out and
failed log-in, with who, when, what changed (before and after) and from which address.

Built on django-auditlog, whose log entries are this app's ``AuditEntry`` (a swapped-in
model that also records the organisation each entry belongs to). Each app registers its
models in its ``AppConfig.ready`` through ``accounts.audit.registry.track``.
"""
