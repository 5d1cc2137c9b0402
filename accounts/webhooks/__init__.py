"""Signed webhooks: an organisation's admin subscribes URLs to events; a worker delivers.

``models`` holds subscriptions and the delivery log, ``services`` subscribes, emits and
delivers, ``tasks`` retries deliveries with exponential backoff, ``views`` is the admin's
page. Apps announce events with ``services.emit`` (imports flow towards accounts).
"""
