"""Where the articles shipped with the product live.

In a checkout (or an editable install) that is ``seeds/`` at the repository
root; a wheel carries them inside the package as ``retrieval/_seeds``; the
``NEWSBOT_SEEDS`` environment variable overrides both (the Docker image sets it).
"""

from __future__ import annotations

import os
from pathlib import Path

from retrieval.article import article_paths
from retrieval.errors import ArticleError

_PACKAGE = Path(__file__).resolve().parent


def seeds_dir() -> Path:
    """The folder of shipped articles; ``ArticleError`` when none can be found."""
    override = os.environ.get("NEWSBOT_SEEDS")
    candidates = [Path(override)] if override else [_PACKAGE / "_seeds", _PACKAGE.parent / "seeds"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise ArticleError(
        f"no seed articles found (looked in {', '.join(map(str, candidates))}); "
        "set NEWSBOT_SEEDS or pass --article"
    )


def seed_paths() -> list[Path]:
    """Shipped article files, sorted by name so numbering is stable."""
    return article_paths(seeds_dir())


def default_article_path() -> Path:
    """The article questions go to when none is named: the first shipped one."""
    paths = seed_paths()
    if not paths:
        raise ArticleError(f"{seeds_dir()}: holds no .txt or .md article")
    return paths[0]
