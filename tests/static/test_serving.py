"""Static files as the WSGI app serves them after collectstatic: hashed names, cached for ten
years, gzip or Brotli when the browser accepts it; in development too (make run), where an
edited file is served fresh under its plain name until collectstatic runs again.

The rest of the suite names the plain files and needs no collectstatic (settings.py)."""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import override_settings

# Static responses never touch the database, but the WSGI handler's request_started signal
# checks any connection an earlier test left open.
pytestmark = pytest.mark.django_db

BUNDLE = "vendor/plotly/plotly-sourcewise.min.js"
FOREVER = "max-age=315360000, public, immutable"
SOURCE = Path(settings.BASE_DIR) / "static"
CHART_SCRIPTS = Path(settings.BASE_DIR) / "assessments" / "static"


def collected(root: Path, sources: list[Path], *, debug: bool) -> override_settings:
    """Settings as in production (debug False) or under make run (debug True), collecting
    only ``sources`` (not the packages' files, to keep the test quick) into ``root``."""
    return override_settings(
        DEBUG=debug,
        WHITENOISE_MANIFEST_STRICT=not debug,
        STATIC_ROOT=str(root),
        STATICFILES_DIRS=[str(path) for path in sources],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "outsourcing.staticfiles.StaticFilesStorage"},
        },
    )


def collectstatic() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)


def get(app, path: str, accept_encoding: str | None = None) -> tuple[int, dict, bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    if accept_encoding is not None:
        environ["HTTP_ACCEPT_ENCODING"] = accept_encoding
    setup_testing_defaults(environ)
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=headers)

    body = b"".join(app(environ, start_response))
    return started["status"], {name.lower(): value for name, value in started["headers"]}, body


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator:
    """The WSGI app with production's static settings, after collectstatic."""
    root = tmp_path_factory.mktemp("staticfiles")
    with collected(root, [SOURCE, CHART_SCRIPTS], debug=False):
        collectstatic()
        yield get_wsgi_application()


def test_pages_name_the_hashed_files(production):
    assert re.fullmatch(
        r"/static/vendor/plotly/plotly-sourcewise\.min\.[0-9a-f]{12}\.js", static(BUNDLE)
    )
    scripts = render_to_string("assessments/_chart_scripts.html")
    sources = re.findall(r'<script src="([^"]+)"', scripts)
    assert len(sources) == 2
    assert all(re.search(r"\.[0-9a-f]{12}\.js$", src) for src in sources), sources


def test_a_hashed_file_is_cached_for_ten_years_and_sent_compressed(production):
    original = (SOURCE / BUNDLE).read_bytes()
    url = static(BUNDLE)

    status, headers, body = get(production, url, "gzip, deflate, br")
    assert status == 200
    assert headers["cache-control"] == FOREVER
    assert headers["content-encoding"] == "br"
    assert "accept-encoding" in headers["vary"].lower()
    assert brotli.decompress(body) == original
    assert len(body) < len(original) / 2

    status, headers, body = get(production, url, "gzip")
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == original

    status, headers, body = get(production, url)
    assert status == 200 and "content-encoding" not in headers and body == original
    assert headers["cache-control"] == FOREVER


def test_a_plain_name_is_cached_only_briefly(production):
    status, headers, _ = get(production, f"/static/{BUNDLE}", "gzip, br")
    assert status == 200
    assert headers["cache-control"] == "max-age=60, public"
    assert headers["content-encoding"] == "br"


def test_in_production_a_file_missing_from_the_manifest_is_an_error(production):
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        staticfiles_storage.url("css/not-collected.css")


def test_a_second_collectstatic_compresses_nothing_again(production):
    copy = Path(settings.STATIC_ROOT) / (static(BUNDLE).removeprefix("/static/") + ".br")
    before = copy.stat().st_ctime_ns
    collectstatic()
    assert copy.stat().st_ctime_ns == before


def test_under_make_run_hashed_names_are_cached_and_an_edit_shows_at_once(tmp_path):
    source, root = tmp_path / "source", tmp_path / "collected"
    source.mkdir()
    style = source / "app.css"
    style.write_text("body { color: #123456; }\n" * 200)
    with collected(root, [source], debug=True):
        collectstatic()
        app = get_wsgi_application()
        hashed = staticfiles_storage.url("app.css")
        assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", hashed)
        status, headers, body = get(app, hashed, "br")
        assert (status, headers["cache-control"], headers["content-encoding"]) == (
            200,
            FOREVER,
            "br",
        )
        assert brotli.decompress(body) == style.read_bytes()

        # Edited after collectstatic: the plain name, served from the source, not cached.
        style.write_text("body { color: #654321; }\n")
        earlier = style.stat().st_mtime - 10  # collectstatic ran a while ago
        os.utime(root / "app.css", (earlier, earlier))
        assert staticfiles_storage.url("app.css") == "/static/app.css"
        status, headers, body = get(app, "/static/app.css")
        assert (status, body) == (200, b"body { color: #654321; }\n")
        assert headers["cache-control"] == "max-age=0, public"
        # A file never collected also keeps its plain name (no error in development).
        (source / "new.css").write_text("p { margin: 0; }\n")
        assert staticfiles_storage.url("new.css") == "/static/new.css"

        collectstatic()  # what the next make run does: hashed names again, for the new text
        rehashed = staticfiles_storage.url("app.css")
        assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", rehashed) and rehashed != hashed
        assert re.fullmatch(r"/static/new\.[0-9a-f]{12}\.css", staticfiles_storage.url("new.css"))
        status, headers, body = get(app, rehashed)
        assert (status, headers["cache-control"]) == (200, FOREVER)
        assert body == b"body { color: #654321; }\n"
