import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocation.choices import AssignmentStatus, Key, Method
from allocation.models import Assignment, Share
from allocation.services import (
    Options,
    assignment_adopt,
    assignment_preview,
    assignment_update,
    assignments_close,
    shares_agree,
    shares_compute,
)
from municipalities.models import KeyFigure, Municipality, SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.allocation.test_engine import EXPECTED_225_FLOOR_10, EXPECTED_1944

REFERENCE = datetime.date(2022, 1, 1)


def _shares(assignment: Assignment) -> dict[str, int]:
    return dict(assignment.shares.values_list("municipality__code", "computed_share"))


# --- preview: the seeds' cases on the loaded population -----------------------------------------


def test_preview_of_1944_places_matches_the_appendix_3_populations(
    region, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        preview = assignment_preview(
            total=1944, region_code="VR05", options=Options(reference_date=REFERENCE)
        )
    assert {row.code: row.share for row in preview.shares} == EXPECTED_1944
    almelo = next(row for row in preview.shares if row.code == "GM0141")
    assert (almelo.name, almelo.weight, round(float(almelo.quota), 2)) == ("Almelo", 73155, 224.34)


def test_preview_of_the_225_cno_places_with_a_floor_of_10(region):
    preview = assignment_preview(
        total=225, region_code="VR05", options=Options(reference_date=REFERENCE, minimum=10)
    )
    shares = {row.code: row.share for row in preview.shares}
    assert shares == EXPECTED_225_FLOOR_10
    assert 50 <= shares["GM0153"] <= 60
    assert 25 <= shares["GM0164"] <= 30 and 25 <= shares["GM0141"] <= 30


def test_preview_credits_count_toward_the_share(region):
    preview = assignment_preview(
        total=225, region_code="VR05", options=Options(credits={"GM0141": 56})
    )
    almelo = next(row for row in preview.shares if row.code == "GM0141")
    assert almelo.share == 56 and almelo.credit == 56 and almelo.remaining == 0
    assert sum(row.share for row in preview.shares) == 225


def test_preview_translates_impossible_bounds_into_dutch_with_names(region):
    with pytest.raises(ValidationError) as raised:
        assignment_preview(
            total=225,
            region_code="VR05",
            options=Options(minimums={"GM0153": 70}, maximums={"GM0153": 60}),
        )
    assert raised.value.messages == [
        "Het minimum van 70 voor Enschede (GM0153) is hoger dan het maximum van 60."
    ]


def test_preview_refuses_unknown_codes_per_field(region):
    with pytest.raises(ValidationError) as raised:
        assignment_preview(
            total=10,
            region_code="VR05",
            options=Options(minimums={"GM0363": 1}, exclude=("GM9999",)),
        )
    assert set(raised.value.message_dict) == {"minimums", "exclude"}
    assert "GM0363" in raised.value.message_dict["minimums"][0]


def test_preview_refuses_an_unknown_region(region):
    with pytest.raises(ValidationError) as raised:
        assignment_preview(total=10, region_code="VR99")
    assert raised.value.message_dict == {"region": ["Onbekende veiligheidsregio 'VR99'."]}


def test_preview_refuses_custom_weights_with_another_key(region):
    with pytest.raises(ValidationError) as raised:
        assignment_preview(total=10, region_code="VR05", options=Options(weights={"GM0153": 1}))
    assert "weights" in raised.value.message_dict


def test_preview_with_custom_weights_follows_them(region):
    weights = {"GM0153": Decimal(3), "GM0141": Decimal(1)}
    preview = assignment_preview(
        total=100, region_code="VR05", options=Options(key=Key.CUSTOM, weights=weights)
    )
    shares = {row.code: row.share for row in preview.shares if row.share}
    assert shares == {"GM0153": 75, "GM0141": 25}


def test_preview_writes_nothing(region):
    assignment_preview(total=1944, region_code="VR05")
    assert not Assignment.objects.exists() and not Share.objects.exists()


# --- assignments --------------------------------------------------------------------------------


def test_create_computes_one_share_per_municipality(region):
    assignment = assignment_with_shares(total=1944)
    assert assignment.status == AssignmentStatus.DRAFT
    assert _shares(assignment) == EXPECTED_1944
    enschede = assignment.shares.get(municipality__code="GM0153")
    assert enschede.weight == 160_640
    assert enschede.quota == Decimal("492.6263")
    assert assignment.computed_at is not None


def test_create_saves_nothing_when_the_distribution_is_impossible(region):
    with pytest.raises(ValidationError, match="De minima tellen op tot 1400"):
        assignment_with_shares(code="impossible", total=225, minimum=100)
    assert not Assignment.objects.filter(code="impossible").exists()
    assert not Share.objects.exists()


def test_create_refuses_a_duplicate_or_reserved_code(region):
    assignment_with_shares(code="asylum-2024-01")
    with pytest.raises(ValidationError) as raised:
        assignment_with_shares(code="asylum-2024-01")
    assert "code" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        assignment_with_shares(code="new")
    assert raised.value.message_dict["code"] == ["De code 'new' is gereserveerd; kies een andere."]


def test_create_with_custom_key_needs_weights(region):
    with pytest.raises(ValidationError) as raised:
        assignment_with_shares(key=Key.CUSTOM)
    assert "weights" in raised.value.message_dict


def test_create_stores_custom_weights_exactly_as_decimal_strings(region):
    assignment = assignment_with_shares(
        total=10, key=Key.CUSTOM, weights={"GM0153": Decimal("2.50"), "GM0141": 1}
    )
    assert assignment.weights == {"GM0141": "1", "GM0153": "2.5"}
    assert _shares(assignment)["GM0153"] == 7


def test_create_can_adopt_at_once(region, coordinator):
    assignment = assignment_with_shares(adopt=True, user=coordinator)
    assert assignment.status == AssignmentStatus.ADOPTED
    assert assignment.adopted_by == coordinator


def test_update_recomputes_shares_when_the_total_changes(region):
    assignment = assignment_with_shares(total=1944)
    assignment_update(assignment=assignment, total=2164)
    assert sum(_shares(assignment).values()) == 2164


def test_update_of_a_title_does_not_touch_the_shares(region):
    assignment = assignment_with_shares()
    computed_at = assignment.computed_at
    assignment_update(assignment=assignment, title="Nieuwe titel")
    assignment.refresh_from_db()
    assert assignment.title == "Nieuwe titel" and assignment.computed_at == computed_at


def test_update_refuses_fields_that_are_not_editable(region):
    assignment = assignment_with_shares()
    with pytest.raises(TypeError):
        assignment_update(assignment=assignment, status=AssignmentStatus.ADOPTED)


def test_adopt_refuses_an_adopted_task(region):
    assignment = assignment_with_shares(adopt=True)
    with pytest.raises(ValidationError, match="al vastgesteld"):
        assignment_adopt(assignment=assignment)


# --- closing when the deadline has passed ------------------------------------------------------


def test_close_takes_adopted_tasks_past_their_deadline_only(region):
    passed = assignment_with_shares(code="passed", deadline=datetime.date(2024, 1, 1), adopt=True)
    assignment_with_shares(code="due-today", deadline=datetime.date(2024, 2, 1), adopt=True)
    assignment_with_shares(code="draft", deadline=datetime.date(2023, 1, 1))

    assert assignments_close(on=datetime.date(2024, 2, 1)) == ["passed"]
    assert assignments_close(on=datetime.date(2024, 2, 1)) == []  # nothing more the second time
    passed.refresh_from_db()
    assert passed.status == AssignmentStatus.CLOSED
    statuses = dict(Assignment.objects.values_list("code", "status"))
    assert (statuses["due-today"], statuses["draft"]) == ("adopted", "draft")


def test_adopt_refuses_a_closed_task(region):
    assignment = assignment_with_shares(deadline=datetime.date(2024, 1, 1), adopt=True)
    assignments_close(on=datetime.date(2024, 2, 1))
    with pytest.raises(ValidationError, match="afgesloten: de uiterste datum is verstreken"):
        assignment_adopt(assignment=assignment)


def test_moving_the_deadline_of_a_closed_task_on_reopens_it(region):
    assignment = assignment_with_shares(deadline=datetime.date(2024, 1, 1), adopt=True)
    assignments_close(on=datetime.date(2024, 2, 1))
    assignment.refresh_from_db()

    assignment_update(assignment=assignment, title="Andere titel")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.CLOSED
    assignment_update(assignment=assignment, deadline=datetime.date(2024, 3, 1))  # still past
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.CLOSED

    later = timezone.localdate() + datetime.timedelta(days=30)
    assignment_update(assignment=assignment, deadline=later)
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ADOPTED


def test_adopt_refuses_shares_that_no_longer_add_up(region):
    assignment = assignment_with_shares(total=1944)
    # Agreed with a reason, so these two stay fixed when the total changes.
    shares_agree(
        assignment=assignment,
        agreed={"GM0153": (493, "vaste afspraak"), "GM0164": (250, "vaste afspraak")},
    )
    assignment_update(assignment=assignment, total=2164)
    with pytest.raises(ValidationError, match="De aandelen tellen op tot 2081, de taakstelling"):
        assignment_adopt(assignment=assignment)


def test_shares_compute_is_idempotent(region, django_assert_max_num_queries):
    assignment = assignment_with_shares()
    before = list(assignment.shares.values())
    computed_at = Assignment.objects.get(pk=assignment.pk).computed_at
    # Municipalities with figures, the shares, and a savepoint around it: no writes.
    with django_assert_max_num_queries(4):
        assert shares_compute(assignment=assignment) == 0
    assert list(assignment.shares.values()) == before
    assert Assignment.objects.get(pk=assignment.pk).computed_at == computed_at


def test_shares_compute_follows_a_new_population_figure(region):
    assignment = assignment_with_shares(total=1944, reference_date=None)
    KeyFigure.objects.create(
        municipality=Municipality.objects.get(code="GM0153"),
        date=datetime.date(2023, 1, 1),
        population=400_000,
    )
    shares_compute(assignment=assignment)
    assert _shares(assignment)["GM0153"] == 890  # 1944 × 400,000 / 873,277 = 890.4
    assert sum(_shares(assignment).values()) == 1944


@pytest.mark.parametrize("method", Method.values)
def test_every_method_adds_up(region, method):
    assignment = assignment_with_shares(total=225, minimum=10, method=method)
    assert sum(_shares(assignment).values()) == 225


# --- agreed shares -----------------------------------------------------------------------------


def test_agreeing_a_table_that_moves_one_place_is_saved(region, coordinator):
    assignment = assignment_with_shares(total=764)
    computed = _shares(assignment)
    assert (computed["GM0153"], computed["GM0158"]) == (194, 29)
    reason = "Circulaire 1e helft 2023"
    shares_agree(
        assignment=assignment,
        agreed={"GM0153": (193, reason), "GM0158": (30, reason)},
        user=coordinator,
    )
    enschede = assignment.shares.get(municipality__code="GM0153")
    assert (enschede.agreed_share, enschede.agreed_reason, enschede.agreed_by) == (
        193,
        reason,
        coordinator,
    )
    assert enschede.base_share == 193


def test_agreeing_refuses_a_table_that_does_not_add_up(region):
    assignment = assignment_with_shares(total=764)
    with pytest.raises(ValidationError) as raised:
        shares_agree(assignment=assignment, agreed={"GM0153": (193, "afspraak")})
    assert raised.value.message_dict["__all__"] == [
        "De aandelen tellen op tot 763, de taakstelling is 764 plaatsen: verschil -1."
    ]
    assert not assignment.shares.filter(agreed_share__isnull=False).exists()


def test_agreeing_a_deviation_needs_a_reason(region):
    assignment = assignment_with_shares(total=764)
    with pytest.raises(ValidationError) as raised:
        shares_agree(assignment=assignment, agreed={"GM0153": (193, ""), "GM0158": (30, "x")})
    assert list(raised.value.message_dict) == ["GM0153"]
    assert "Geef een reden" in raised.value.message_dict["GM0153"][0]


def test_an_agreed_share_equal_to_the_computed_one_without_reason_is_cleared(region):
    assignment = assignment_with_shares(total=764)
    shares_agree(assignment=assignment, agreed={"GM0153": (194, "")})
    assert assignment.shares.get(municipality__code="GM0153").agreed_share is None


def test_agreeing_refuses_unknown_municipalities_and_negative_numbers(region):
    assignment = assignment_with_shares(total=764)
    with pytest.raises(ValidationError) as raised:
        shares_agree(assignment=assignment, agreed={"GM0363": (1, "x"), "GM0153": (-1, "x")})
    assert "GM0153" in raised.value.message_dict
    assert "GM0363" in raised.value.message_dict["__all__"][0]


def test_the_database_refuses_a_deviation_without_reason(region):
    assignment = assignment_with_shares(total=764)
    share = assignment.shares.get(municipality__code="GM0153")
    share.agreed_share = 1
    with pytest.raises(ValidationError):
        share.full_clean()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        share.save()


def test_assignments_of_another_region_cannot_be_made_without_municipalities(region):
    with pytest.raises(ValidationError, match="heeft geen gemeenten"):
        assignment_with_shares(region=SafetyRegion.objects.get(code="VR04"))
