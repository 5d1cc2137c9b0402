"""Board packs: the dashboard as an XLSX workbook or a PDF, built by a worker.

``services`` records requests and runs a build, ``tasks`` hands them to Celery, ``documents``
writes the files, ``summary`` composes the executive summary both formats open with.
"""
