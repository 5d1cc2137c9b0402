"""The one pager every paginated list uses: filters kept, page numbers and words right."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def pager(number: int, **context) -> str:
    page = Paginator(range(45), 10).get_page(number)
    return render_to_string("_pager.html", {"page": page, **context})


def test_a_middle_page_links_both_ways_and_keeps_the_filters():
    html = pager(3, query="q=cloud&country=DE", label="Vendor pages")
    assert 'aria-label="Vendor pages"' in html
    assert 'href="?q=cloud&amp;country=DE&amp;page=2">Previous<' in html
    assert 'href="?q=cloud&amp;country=DE&amp;page=4">Next<' in html
    assert "Page 3 of 5" in html


def test_the_first_page_has_no_way_back_and_a_list_can_say_newer_and_older():
    html = pager(1, newer="Newer", older="Older")
    assert "Newer" not in html and 'href="?page=2">Older<' in html


def test_a_single_page_shows_no_pager():
    page = Paginator(range(3), 10).get_page(1)
    assert render_to_string("_pager.html", {"page": page}).strip() == ""
