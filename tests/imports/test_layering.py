"""The imports package is the ground floor: it imports no app of the project, and the apps
register nothing in it at runtime (the specs are named in the setting IMPORT_SPECS)."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

import imports
from imports.models import ImportKind
from imports.spec import ImportSpec

APPS = {"twente", "municipalities", "capacity", "allocation", "meetings", "matching", "accounts"}


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_imports_package_imports_no_app():
    package = Path(imports.__file__).parent
    offenders = {
        f"{path.relative_to(package)}: {name}"
        for path in package.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in APPS
    }
    assert offenders == set()


def test_every_kind_has_a_spec_kept_beside_its_app():
    assert set(settings.IMPORT_SPECS) == set(ImportKind.values)
    for kind, path in settings.IMPORT_SPECS.items():
        spec = import_string(path)
        assert isinstance(spec, ImportSpec)
        assert spec.kind == kind
        assert path.split(".")[0] in APPS - {"twente"}
