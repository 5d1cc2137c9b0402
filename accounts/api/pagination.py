"""Lists come in pages: ``?page=N`` and ``?page_size=M`` (at most 200; 50 by default)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
