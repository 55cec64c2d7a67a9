import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from allocation.choices import Key, Method
from allocation.engine import METHODS
from allocation.models import Assignment
from tests.allocation.factories import AssignmentFactory


def test_the_method_choices_are_the_engines_methods():
    assert tuple(Method.values) == METHODS


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "exchanges"}, "code"),
        ({"minimum": 10, "maximum": 5}, "maximum"),
        ({"minimums": {"GM0153": -1}}, "minimums"),
        ({"maximums": {"GM0153": 1.5}}, "maximums"),
        ({"credits": ["GM0153"]}, "credits"),
        ({"exclude": "GM0153"}, "exclude"),
        ({"key": Key.CUSTOM, "weights": {}}, "weights"),
        ({"key": Key.CUSTOM, "weights": {"GM0153": "-2"}}, "weights"),
        ({"key": Key.CUSTOM, "weights": {"GM0153": "veel"}}, "weights"),
        ({"key": Key.POPULATION, "weights": {"GM0153": "2"}}, "weights"),
        ({"total": 1_000_001}, "total"),
    ],
)
def test_clean_refuses_inconsistent_options(db, fields, field):
    assignment = AssignmentFactory.build(region=AssignmentFactory().region, **fields)
    with pytest.raises(ValidationError) as raised:
        assignment.full_clean()
    assert field in raised.value.message_dict


def test_clean_accepts_a_complete_custom_task(db):
    assignment = AssignmentFactory.build(
        region=AssignmentFactory().region,
        key=Key.CUSTOM,
        weights={"GM0153": "193", "GM0141": "88.5"},
        minimums={"GM0153": 50},
        exclude=["GM0147"],
    )
    assignment.full_clean()


def test_the_database_refuses_a_minimum_above_the_maximum(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(minimum=10, maximum=5)


def test_the_database_refuses_an_area_weight_above_one(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(area_weight=2)


def test_totals_of_a_task_without_shares_are_zero(db):
    AssignmentFactory(code="empty", total=50)
    task = Assignment.objects.with_totals().get(code="empty")
    assert (task.base_total, task.effective_total, task.realised_total, task.gap) == (0, 0, 0, 0)
