"""Media files for Typst documents (the 申报书, the 汇编), from whatever storage holds them.

Typst reads images from a local directory tree (its `root`). Media may live in a bucket rather
than on this server's disk (MEDIA_STORAGE=s3, docs/scale-out.md), so the files a document uses
are copied from the storage into a temporary root for the one compile, and the JSON names them
by their storage name ("/original_images/a.jpg"): the same on every server, so a document's
fingerprint does not depend on where it is built.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.core.files.storage import Storage, default_storage

logger = logging.getLogger(__name__)


def typst_path(file) -> str | None:
    """A stored file's path for the template, or None when the storage does not have it."""
    name = getattr(file, "name", "") or ""
    storage: Storage = getattr(file, "storage", default_storage)
    parts = PurePosixPath(name).parts
    if not name or ".." in parts or name.startswith("/") or not storage.exists(name):
        return None
    return "/" + name


@contextmanager
def typst_root(paths: Iterable[str], storage: Storage | None = None) -> Iterator[str]:
    """A temporary directory holding these files (template paths), removed afterwards."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory(prefix="casebook-typst-") as root:
        base = Path(root)
        for path in dict.fromkeys(paths):
            name = path.lstrip("/")
            target = (base / name).resolve()
            if not target.is_relative_to(base.resolve()):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with storage.open(name, "rb") as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except Exception:  # gone since it was listed: Typst then reports the missing file
                logger.warning("typst: %s could not be read from the storage", name, exc_info=True)
        yield root
