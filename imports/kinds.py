"""The kinds of import file, their specs and who may import them.

The specs are kept beside the apps whose rows they write and named, with the rule of who may
import what (`IMPORT_SCOPE`), in the setting `IMPORT_SPECS`: this package imports no app, so
it sits below all of them, and nothing is registered at runtime.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .models import ImportKind
from .spec import ImportNotAllowed, ImportScope, ImportSpec


@cache
def _load(path: str):
    return import_string(path)


def spec_for(kind: str) -> ImportSpec:
    return _load(settings.IMPORT_SPECS[kind])


def scope_for(user, *, spec: ImportSpec) -> ImportScope:
    """The municipalities `user` may import rows of `spec` for; ImportNotAllowed when none."""
    return _load(settings.IMPORT_SCOPE)(user, spec=spec)


def may_import(user, *, spec: ImportSpec) -> bool:
    try:
        scope_for(user, spec=spec)
    except ImportNotAllowed:
        return False
    return True


def kinds_for(user) -> list[tuple[str, str]]:
    """The (kind, label) pairs this user may import."""
    return [
        (kind, label) for kind, label in ImportKind.choices if may_import(user, spec=spec_for(kind))
    ]


def importer_scope(user) -> ImportScope | None:
    """Whose runs `user` sees: the scope of the first kind they may import (a coordinator's
    region, a project leader's municipality); None when they may import nothing."""
    for kind in ImportKind.values:
        try:
            return scope_for(user, spec=spec_for(kind))
        except ImportNotAllowed:
            continue
    return None
