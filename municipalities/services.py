"""Writes for reference data and accounts."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import KeyFigure, Membership, Municipality, Province, Role, SafetyRegion


class ProvisioningError(ValueError):
    """An account cannot be made as asked; the message is meant for the person asking."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def reference_data_load(*, directory: Path) -> dict[str, int]:
    """Load provinces, safety regions and Twente's municipalities with their population.

    Safe to rerun: rows are matched on their CBS code and updated in place.
    """
    provinces = {}
    for row in _rows(directory / "provinces.csv"):
        provinces[row["code"]], _ = Province.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
    regions = {}
    for row in _rows(directory / "safety_regions.csv"):
        regions[row["code"]], _ = SafetyRegion.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "province": provinces[row["province"]]},
        )
    municipalities = 0
    for row in _rows(directory / "twente_municipalities.csv"):
        municipality, _ = Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "safety_region": regions[row["safety_region"]]},
        )
        KeyFigure.objects.update_or_create(
            municipality=municipality,
            date=datetime.date.fromisoformat(row["population_date"]),
            defaults={
                "population": int(row["population"]),
                "source": "Procesplan vluchtelingenopvang Twente, bijlage 3",
            },
        )
        municipalities += 1
    return {
        "provinces": len(provinces),
        "safety_regions": len(regions),
        "municipalities": municipalities,
    }


def groups_ensure() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def user_provision(
    *,
    username: str,
    role: str,
    password: str,
    municipality_code: str | None = None,
    region_code: str | None = None,
    email: str | None = None,
) -> "get_user_model()":
    """Create or update an account with one role, its region and (for project leaders) its
    municipality. Passwords go through Django's validators; the e-mail address (where the
    reminders and digests go) is checked too, and left as it was when not given."""
    if role not in Role.values:
        raise ProvisioningError(
            _("Onbekende rol %(role)s; kies uit: %(list)s.")
            % {"role": repr(role), "list": ", ".join(Role.values)}
        )
    region_code = region_code or settings.HOME_REGION
    region = SafetyRegion.objects.filter(code=region_code).first()
    if region is None:
        raise ProvisioningError(
            _(
                "Onbekende veiligheidsregio %(region_code)s; laad eerst de "
                "referentiedata (manage.py load_twente)."
            )
            % {"region_code": repr(region_code)}
        )
    municipality = None
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code).first()
        if municipality is None:
            raise ProvisioningError(
                _("Onbekende gemeente %(municipality_code)s.")
                % {"municipality_code": repr(municipality_code)}
            )
        if municipality.safety_region_id != region.pk:
            raise ProvisioningError(
                _("Gemeente %(name)s hoort niet bij veiligheidsregio %(region)s.")
                % {"name": municipality.name, "region": region.name}
            )
    if role == Role.PROJECT_LEADER and municipality is None:
        raise ProvisioningError(
            _("Een projectleider hoort bij één gemeente: geef --municipality op.")
        )

    if email is not None:
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ProvisioningError(
                _("Ongeldig e-mailadres %(email)s.") % {"email": repr(email)}
            ) from exc

    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    if email is not None:
        user.email = email
    try:
        validate_password(password, user)
    except Exception as exc:  # ValidationError carries a list of Dutch messages
        raise ProvisioningError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    user.set_password(password)
    user.is_staff = role == Role.SECRETARY or user.is_staff
    user.save()
    groups_ensure()
    user.groups.add(Group.objects.get(name=role))
    Membership.objects.update_or_create(
        user=user, defaults={"safety_region": region, "municipality": municipality}
    )
    return user
