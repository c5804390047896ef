"""Layer rules import-linter cannot express (it sees Django as one package): no HTTP in services.

The other rules (app order, no app reading another's repositories, only killrvideo.astra building the
astrapy client) are import-linter contracts in pyproject.toml, run by `make lint`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "catalog", "community", "discovery", "moderation")
# Modules that must not know about requests or responses.
HTTP_FREE = ("services", "repositories", "domain.py", "permissions.py", "tables.py", "metadata.py", "youtube.py")
HTTP_MODULES = ("django.http", "django.shortcuts", "django.views", "django_htmx", "ninja")


def imported_modules(source: str) -> set[str]:
    """Every module a source file imports, at any depth (imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def http_imports(source: str) -> set[str]:
    return {m for m in imported_modules(source) if any(m == h or m.startswith(h + ".") for h in HTTP_MODULES)}


def _http_free_files() -> list[Path]:
    files: list[Path] = []
    for app in APPS:
        for name in HTTP_FREE:
            target = ROOT / app / name
            files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target] if target.exists() else [])
    return files


def test_the_checker_sees_imports_at_any_depth() -> None:
    source = "from django.conf import settings\ndef f():\n    from django.http import HttpResponse\n"
    assert http_imports(source) == {"django.http"}
    assert http_imports("import ninja.security\nimport django_htmx") == {"ninja.security", "django_htmx"}
    assert not http_imports("from django.core.cache import cache\nfrom . import http")


@pytest.mark.parametrize("path", _http_free_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_repositories_and_domain_import_no_http(path: Path) -> None:
    assert not http_imports(path.read_text()), f"{path.relative_to(ROOT)} imports HTTP modules"
