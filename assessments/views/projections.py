"""Being written (temporary module; replaced by its owner)."""

from django.http import Http404


def projection_start(request, *args, **kwargs):
    raise Http404


def projection_detail(request, *args, **kwargs):
    raise Http404


def projection_status(request, *args, **kwargs):
    raise Http404


def projection_export(request, *args, **kwargs):
    raise Http404

