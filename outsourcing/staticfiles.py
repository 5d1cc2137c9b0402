"""Static files: hashed names, compressed copies, and browsers keep them for a year.

WhiteNoise serves what ``collectstatic`` wrote: each file under a name with a hash of its
content (``sourcewise.3f9a1c2b7d4e.css``), with gzip and Brotli copies, and answers for a
hashed name with ``Cache-Control: max-age=315360000, public, immutable``. A changed file
gets a new name, so no browser ever keeps an old one.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import brotli
from django.contrib.staticfiles import finders
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Source maps are fetched only by a developer's browser tools: compressing them would be
# half of collectstatic's work for nothing.
SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, naming the hashed files under DEBUG too.

    Django names the plain files whenever DEBUG is on; this storage names the hashed
    copies in development as well, so ``make run`` (which runs collectstatic) caches and
    compresses as production does. In production (``WHITENOISE_MANIFEST_STRICT`` true) a
    file missing from the manifest is an error, as in Django. In development a file that
    was never collected, or whose source was edited after collectstatic, keeps its plain
    name, which WhiteNoise serves from the source itself, uncached: an edit shows at once.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._manifest_mtime = self._mtime(self.manifest_name)

    def url(self, name: str, force: bool = False) -> str:
        if self.manifest_strict or self._collected_copy_is_current(name):
            return super().url(name, force=True)
        return self._url(lambda plain: plain, name, force=True)

    def create_compressor(self, **kwargs) -> Compressor:
        kwargs["extensions"] = (*(kwargs.get("extensions") or ()), *SKIP_COMPRESS_EXTENSIONS)
        return super().create_compressor(**kwargs)

    def compress_files(self, paths):
        """Compress only the files without up-to-date compressed copies, so collectstatic
        (which every make run runs) takes seconds once a first run has compressed them."""
        return super().compress_files([p for p in paths if not self._compressed(p)])

    def _compressed(self, name: str) -> bool:
        # Django rewrites some files on every run (same name, same text, new time), so the
        # copies are compared by content: each must unpack to the file's bytes.
        path = Path(self.path(name))
        if not path.with_name(path.name + ".br").exists():
            return False
        content = path.read_bytes()
        for suffix, unpack in ((".br", brotli.decompress), (".gz", gzip.decompress)):
            copy = path.with_name(path.name + suffix)
            if copy.exists():
                try:
                    if unpack(copy.read_bytes()) != content:
                        return False
                except Exception:  # a copy cut short or corrupt: write it again
                    return False
        return True

    def _mtime(self, name: str) -> float | None:
        try:
            return os.stat(self.path(name)).st_mtime
        except (OSError, ValueError):
            return None

    def _collected_copy_is_current(self, name: str) -> bool:
        manifest_mtime = self._mtime(self.manifest_name)
        if manifest_mtime != self._manifest_mtime:  # collectstatic ran since: read it again
            self.hashed_files, self.manifest_hash = self.load_manifest()
            self._manifest_mtime = manifest_mtime
        clean_name = urlsplit(unquote(name)).path.strip()
        if self.hash_key(clean_name) not in self.hashed_files:
            return False
        collected = self._mtime(clean_name)
        source = finders.find(clean_name)
        if collected is None or not source:
            return collected is not None
        return os.stat(source).st_mtime <= collected
