"""The version of the portal's own code, templates and translations, for keys of things rendered from them.

Content stored across requests (onboarding.page_cache) must not outlive the code that rendered it: after a deploy
a template fix, a changed view or a new translation shows at once. The version is a digest of every Python module,
template and compiled catalogue of the project (not of the virtualenv or the data), computed once per process.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

SUFFIXES = {".py", ".html", ".txt", ".mo"}
SKIPPED = {".venv", "var", "node_modules", ".git", "static", "benchmarks", "__pycache__"}


@functools.cache
def source_version() -> str:
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for path in sorted(_sources(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sources(folder: Path):
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name not in SKIPPED and not entry.name.startswith("."):
                yield from _sources(entry)
        elif entry.suffix in SUFFIXES:
            yield entry
