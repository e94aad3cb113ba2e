"""Every site newsarchive knows: the built-in site files of this package, then the user's own site files
from `$NEWSARCHIVE_SITES_DIR`, or from `./sites/` of the current folder unless that is a Python package.

A site file is a Python file defining `SITE = Site(...)` (see model.py) and named after the site."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from sites.model import Site

PACKAGE_DIR = Path(__file__).resolve().parent
SITES_DIR_ENV = "NEWSARCHIVE_SITES_DIR"
_NOT_SITES = {"model", "registry"}


class SiteFileError(ValueError):
    """A site file that cannot be used; the message is one line naming the file."""


def user_sites_dir() -> Path | None:
    """Where the user's own site files are, if anywhere."""
    configured = os.environ.get(SITES_DIR_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    local = Path.cwd() / "sites"
    # a sites/ package (this project's own source, in any clone) is not a folder of the user's site files
    if local.is_dir() and local.resolve() != PACKAGE_DIR and not (local / "__init__.py").exists():
        return local.resolve()
    return None


def site_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def _checked(site: object, path: Path) -> Site:
    if not isinstance(site, Site):
        raise SiteFileError(f"{path}: defines no SITE = Site(...)")
    if site.name != path.stem:
        raise SiteFileError(f"{path}: the site is named {site.name!r}; the file must be named {site.name}.py")
    return site


def load_site_file(path: Path) -> Site:
    """The SITE of a site file outside this package, loaded by its path."""
    spec = importlib.util.spec_from_file_location(f"newsarchive_user_site_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SiteFileError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # any error in the user's file: name the file, not a traceback
        raise SiteFileError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return _checked(getattr(module, "SITE", None), path)


@cache
def _registry() -> dict[str, tuple[Site, Path]]:
    """name -> (site, the file defining it); read once per process (canonical_url asks on every URL)."""
    user_dir = user_sites_dir()
    found: dict[str, tuple[Site, Path]] = {}
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if info.name in _NOT_SITES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"sites.{info.name}")
        path = PACKAGE_DIR / f"{info.name}.py"
        found[info.name] = _checked(getattr(module, "SITE", None), path), path
    for path in site_files(user_dir) if user_dir and user_dir.is_dir() else []:
        site = load_site_file(path)
        if site.name in found:
            raise SiteFileError(f"{path}: a site named {site.name!r} is already defined in {found[site.name][1]}")
        found[site.name] = site, path
    return dict(sorted(found.items()))


def reload() -> None:
    """Forget what was read (after a site file or $NEWSARCHIVE_SITES_DIR changed in this process)."""
    _registry.cache_clear()


def all_sites() -> list[Site]:
    """Built-in and user sites, by name."""
    return [site for site, _ in _registry().values()]


def site_named(name: str) -> Site | None:
    found = _registry().get(name)
    return found[0] if found else None


def site_for_url(url: str) -> Site | None:
    """The site whose hosts include the URL's host."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return next((site for site in all_sites() if site.owns(host)), None) if host else None


def fixtures_dir(site: Site) -> Path:
    """The site's fixture folder: `site.fixtures` in the working tree that holds its site file."""
    return _registry()[site.name][1].parent.parent / site.fixtures
