"""The `municipalities` and `population` import files, and who may import what for which
municipalities (roles and memberships live in this app).

Named in the setting `IMPORT_SPECS` (the specs) and `IMPORT_SCOPE` (`import_scope_for`); the
machinery they run on is the `imports` package. `municipality_cell` reads the CBS code column
the other apps' files share.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imports.cells import cell_text, parse_count, parse_date
from imports.spec import (
    UNRESTRICTED,
    Entry,
    ImportNotAllowed,
    ImportPlan,
    ImportScope,
    ImportSpec,
    WriteContext,
    classify,
    clean_errors,
    first_seen,
)

from .models import KeyFigure, Municipality, Role, SafetyRegion
from .roles import has_role, membership_of

# Who may import what -----------------------------------------------------------------------


def import_scope_for(user, *, spec: ImportSpec) -> ImportScope:
    """The scope `user` imports a file of `spec` in; ImportNotAllowed when their role may not.

    No user (an operator running `manage.py import_data` without --user) and superusers
    import everything. Coordinators import for their safety region; project leaders only rows
    of their own municipality, and only the kinds that allow them.
    """
    if user is None or user.is_superuser:
        return UNRESTRICTED
    membership = membership_of(user)
    if membership is not None and has_role(user, Role.COORDINATOR):
        region = membership.safety_region
        return ImportScope(region_id=region.pk, region_name=region.name)
    if (
        spec.project_leaders
        and membership is not None
        and membership.municipality_id is not None
        and has_role(user, Role.PROJECT_LEADER)
    ):
        municipality = membership.municipality
        return ImportScope(
            region_id=municipality.safety_region_id,
            region_name=membership.safety_region.name,
            municipality_id=municipality.pk,
            municipality_name=municipality.name,
        )
    raise ImportNotAllowed(
        _("Uw rol mag geen bestanden met %(kind)s importeren.") % {"kind": spec.label.lower()}
    )


# The municipality column of every file -------------------------------------------------------

# CBS code -> (pk, safety region pk, name)
Municipalities = dict[str, tuple[int, int, str]]


def municipality_lookup() -> Municipalities:
    """CBS code -> (pk, safety region pk, name) of every municipality, in one query."""
    return {
        code: (pk, region_id, name)
        for code, pk, region_id, name in Municipality.objects.values_list(
            "code", "pk", "safety_region_id", "name"
        )
    }


def municipality_cell(
    plan: ImportPlan,
    row: int,
    value,
    municipalities: Municipalities,
    scope: ImportScope,
    *,
    column: str = "municipality",
) -> tuple[int, int, str] | None:
    """The municipality a row names by CBS code, adding an error when the code is missing,
    unknown or outside the user's scope (a refused municipality is still returned)."""
    code = cell_text(value).upper()
    municipality = municipalities.get(code)
    if not code:
        plan.error(row, column, _("Vul de gemeente in (CBS-code, bijv. GM0153)."))
    elif municipality is None:
        plan.error(row, column, _("Onbekende gemeente %(code)s.") % {"code": code})
    elif refusal := scope.refusal(
        municipality_id=municipality[0], region_id=municipality[1], name=municipality[2]
    ):
        plan.error(row, column, refusal)
    return municipality


def once_per_municipality_and_date(
    plan: ImportPlan, row: int, seen: dict, municipality, date: datetime.date | None
) -> None:
    """An error when the file has this municipality and date in an earlier row too."""
    if municipality is None or date is None:
        return
    if before := first_seen(seen, (municipality[0], date), row):
        plan.error(
            row,
            "municipality",
            _("Dubbele regel: %(municipality)s op %(date)s staat ook in rij %(seen)s.")
            % {"municipality": municipality[2], "date": format(date, "%d-%m-%Y"), "seen": before},
        )


# Municipalities: code,name,safety_region ------------------------------------------------------


def _municipalities_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    regions = dict(SafetyRegion.objects.values_list("code", "pk"))
    region_names = dict(SafetyRegion.objects.values_list("pk", "name"))
    existing = {m.code: m for m in Municipality.objects.all()}
    seen: dict[str, int] = {}
    for row, values in rows:
        errors_before = len(plan.errors)
        code = cell_text(values["code"]).upper()
        name = cell_text(values["name"])
        region_code = cell_text(values["safety_region"]).upper()
        region_id = regions.get(region_code)
        if not region_code:
            plan.error(
                row, "safety_region", _("Vul de veiligheidsregio in (CBS-code, bijv. VR05).")
            )
        elif region_id is None:
            plan.error(
                row,
                "safety_region",
                _("Onbekende veiligheidsregio %(region_code)s.") % {"region_code": region_code},
            )
        candidate = Municipality(code=code, name=name, safety_region_id=region_id)
        try:
            candidate.full_clean(
                exclude=["safety_region"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for column, message in clean_errors(exc):
                plan.error(row, column, message)
        if code and (before := first_seen(seen, code, row)):
            plan.error(
                row,
                "code",
                _("Dubbele regel: gemeente %(code)s staat ook in rij %(seen)s.")
                % {"code": code, "seen": before},
            )
        current = existing.get(code)
        # The region it will be in, and the one it is in now, must both be the user's.
        regions_touched = [region_id] + ([current.safety_region_id] if current else [])
        for in_region in regions_touched:
            refusal = in_region is not None and scope.refusal(
                municipality_id=current.pk if current else None,
                region_id=in_region,
                name=name or code,
            )
            if refusal:
                plan.error(row, "safety_region", refusal)
                break
        if len(plan.errors) != errors_before:
            continue
        new = {"code": code, "name": name, "safety_region_id": region_id}
        old = None
        if current is not None:
            old = {
                key: getattr(current, key)
                for key, value in new.items()
                if getattr(current, key) != value
            }
        classify(
            plan, Entry(row=row, values=new), existing_pk=current.pk if current else None, old=old
        )
    plan.context["region_names"] = region_names


def _municipality_build(entry: Entry, context: WriteContext) -> Municipality:
    return Municipality(**entry.values)


def _municipality_apply(instance: Municipality, entry: Entry, context: WriteContext) -> list[str]:
    for key in entry.old:
        setattr(instance, key, entry.values[key])
    return [key.removesuffix("_id") for key in entry.old]


def _municipality_describe(plan: ImportPlan, entry: Entry) -> dict:
    regions = plan.context.get("region_names", {})
    values = entry.values

    def shown(key, value):
        return regions.get(value, value) if key == "safety_region_id" else value

    return {
        "subject": f"{values['name']} ({values['code']})",
        "values": _("veiligheidsregio %(region)s")
        % {"region": regions.get(values["safety_region_id"], "")},
        "was": ", ".join(
            f"{LABELS.get(key, key)} {shown(key, value)}"
            for key, value in (entry.old or {}).items()
        ),
    }


LABELS = {"name": _("naam"), "safety_region_id": _("veiligheidsregio"), "code": "code"}

MUNICIPALITIES = ImportSpec(
    kind="municipalities",
    label=_("Gemeenten"),
    model=Municipality,
    columns=("code", "name", "safety_region"),
    optional_columns=(),
    validate=_municipalities_validate,
    build=_municipality_build,
    apply=_municipality_apply,
    describe=_municipality_describe,
)


# Population: municipality,date,inhabitants ---------------------------------------------------

NEGATIVE_INHABITANTS = _("Een aantal inwoners kan niet negatief zijn.")


def _inhabitants(value) -> int:
    return parse_count(value, negative_message=NEGATIVE_INHABITANTS)


def _population_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    municipalities = municipality_lookup()
    seen: dict[tuple[int, datetime.date], int] = {}
    parsed: list[Entry] = []
    for row, values in rows:
        errors_before = len(plan.errors)
        municipality = municipality_cell(plan, row, values["municipality"], municipalities, scope)
        date = plan.read(row, "date", parse_date, values["date"])
        inhabitants = plan.read(row, "inhabitants", _inhabitants, values["inhabitants"])
        once_per_municipality_and_date(plan, row, seen, municipality, date)
        if len(plan.errors) == errors_before:
            parsed.append(Entry(row=row, values=(municipality[0], date, inhabitants)))
    ids = {entry.values[0] for entry in parsed}
    existing = {
        (municipality_id, date): (pk, population)
        for municipality_id, date, pk, population in KeyFigure.objects.filter(
            municipality_id__in=ids
        ).values_list("municipality_id", "date", "pk", "population")
    }
    for entry in parsed:
        municipality_id, date, inhabitants = entry.values
        pk, population = existing.get((municipality_id, date), (None, None))
        old = None if pk is None else ((population,) if population != inhabitants else ())
        classify(plan, entry, existing_pk=pk, old=old)
    plan.context["municipality_names"] = {pk: name for pk, _region, name in municipalities.values()}


def _population_build(entry: Entry, context: WriteContext) -> KeyFigure:
    municipality_id, date, inhabitants = entry.values
    return KeyFigure(
        municipality_id=municipality_id,
        date=date,
        population=inhabitants,
        source=context.reason[:200],
    )


def _population_apply(instance: KeyFigure, entry: Entry, context: WriteContext) -> list[str]:
    instance.population = entry.values[2]
    return ["population"]


def _population_describe(plan: ImportPlan, entry: Entry) -> dict:
    municipality_id, date, inhabitants = entry.values
    name = plan.context.get("municipality_names", {}).get(municipality_id, municipality_id)
    return {
        "subject": f"{name}, {date:%d-%m-%Y}",
        "values": _("%(inhabitants)s inwoners") % {"inhabitants": inhabitants},
        "was": _("%(inhabitants)s inwoners") % {"inhabitants": entry.old[0]} if entry.old else "",
    }


POPULATION = ImportSpec(
    kind="population",
    label=_("Inwonertallen"),
    model=KeyFigure,
    columns=("municipality", "date", "inhabitants"),
    optional_columns=(),
    validate=_population_validate,
    build=_population_build,
    apply=_population_apply,
    describe=_population_describe,
)
