"""Portfolios (issue 20): a table's themes held by one or two of its municipalities, each with
one or two spearheads; agenda items, decisions and actions name them, and the portfolio's
page and API show what was decided and what is still open, under the read rule of the
minutes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings.models import ActionStatus, EntryKind, Portfolio, Spearhead
from meetings.portfolios import portfolio_create, spearhead_add
from meetings.services import actions_carry_over
from tests.factories import MunicipalityFactory, UserFactory

from .factories import ActionFactory, AgendaItemFactory, EntryFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(area):
    twente, ijsselland = area["twente"], area["ijsselland"]
    return {
        "wierden": MunicipalityFactory(code="GM0189", name="Wierden", safety_region=twente),
        "hellendoorn": MunicipalityFactory(code="GM0163", name="Hellendoorn", safety_region=twente),
        "almelo": MunicipalityFactory(code="GM0141", name="Almelo", safety_region=twente),
        "zwolle": MunicipalityFactory(code="GM0193", name="Zwolle", safety_region=ijsselland),
    }


@pytest.fixture
def housing(area, towns):
    """Twente's TRA portfolio 'wonen', held by Wierden and Hellendoorn, with two spearheads;
    an agenda item names it (its decision and open action count), an entry elsewhere names
    it directly, and a done action and an unrelated decision do not count."""
    tra = area["bodies"]["tra_twente"]
    portfolio = portfolio_create(
        body=tra, theme="wonen", holders=[towns["wierden"], towns["hellendoorn"]]
    )
    spearhead_add(
        portfolio=portfolio,
        goal="Vijftig woningen voor statushouders",
        target_date=datetime.date(2024, 12, 31),
        status="lopend",
    )
    spearhead_add(portfolio=portfolio, goal="Flexwonen in elke gemeente")
    meeting = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24))
    item = AgendaItemFactory(meeting=meeting, number="4", title="Huisvesting", portfolio=portfolio)
    EntryFactory(item=item, kind=EntryKind.DECISION, text="Besluit over flexwonen")
    ActionFactory(item=item, text="Locaties inventariseren", due_date=datetime.date(2024, 3, 13))
    ActionFactory(item=item, text="Al gedaan", status=ActionStatus.DONE)
    other = AgendaItemFactory(meeting=meeting, number="5", title="Onderwijs")
    EntryFactory(item=other, kind=EntryKind.DECISION, text="Besluit over scholen")
    EntryFactory(
        item=other, kind=EntryKind.DECISION, text="Besluit dat wonen raakt", portfolio=portfolio
    )
    return portfolio


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reader(role: str, region, **scope):
    return client_for(UserFactory(role=role, scope__region=region, **scope))


# --- rules ---------------------------------------------------------------------------------


def test_a_portfolio_has_one_or_two_holders(area, towns):
    tra = area["bodies"]["tra_twente"]
    with pytest.raises(ValidationError, match="een of 2 gemeenten"):
        portfolio_create(body=tra, theme="wonen", holders=[])
    with pytest.raises(ValidationError, match="een of 2 gemeenten"):
        portfolio_create(
            body=tra,
            theme="wonen",
            holders=[towns["wierden"], towns["hellendoorn"], towns["almelo"]],
        )
    assert not Portfolio.objects.exists()
    one = portfolio_create(body=tra, theme="onderwijs", holders=[towns["almelo"]])
    assert list(one.holders.all()) == [towns["almelo"]]


def test_only_municipalities_of_the_bodys_region_hold_its_portfolio(area, towns):
    with pytest.raises(ValidationError, match="Zwolle"):
        portfolio_create(
            body=area["bodies"]["tra_twente"],
            theme="wonen",
            holders=[towns["wierden"], towns["zwolle"]],
        )
    # The PRT of Overijssel: any municipality of the province.
    prt = portfolio_create(
        body=area["bodies"]["prt_overijssel"],
        theme="arbeidsmarkt",
        holders=[towns["wierden"], towns["zwolle"]],
    )
    assert prt.holders.count() == 2


def test_theme_other_needs_a_title(area, towns):
    tra = area["bodies"]["tra_twente"]
    with pytest.raises(ValidationError, match="titel"):
        portfolio_create(body=tra, theme="overig", holders=[towns["wierden"]])
    named = portfolio_create(
        body=tra, theme="overig", title="Centrale coördinatie", holders=[towns["wierden"]]
    )
    assert str(named) == "Centrale coördinatie"


def test_a_portfolio_has_at_most_two_spearheads(housing):
    with pytest.raises(ValidationError, match="ten hoogste 2 speerpunten"):
        spearhead_add(portfolio=housing, goal="Een derde")
    assert housing.spearheads.count() == 2


def test_an_item_names_a_portfolio_of_its_own_body_only(area, housing):
    item = AgendaItemFactory(meeting=area["meetings"]["tra_ijsselland"], portfolio=housing)
    with pytest.raises(ValidationError, match="portefeuille van het overlegorgaan"):
        item.full_clean()


def test_a_carried_action_stays_with_its_portfolio(area, housing):
    meeting = housing.agenda_items.get().meeting
    later = MeetingFactory(body=meeting.body, date=datetime.date(2024, 3, 13))
    (copy,) = actions_carry_over(from_meeting=meeting, to_meeting=later)
    assert copy.portfolio == housing  # its item named the portfolio; the copy names it itself
    client = reader("coordinator", area["twente"])
    (row,) = client.get(f"/api/v1/portfolios/{housing.pk}").json()["open_actions"]
    assert row["id"] == copy.pk and row["meeting"] == later.pk


# --- pages ---------------------------------------------------------------------------------


def test_the_portfolio_page_shows_holders_spearheads_decisions_and_open_actions(
    area, housing, django_assert_max_num_queries
):
    client = reader("coordinator", area["twente"])
    url = reverse("meetings:portfolio", args=[housing.pk])
    client.get(url)  # warm the session and role caches
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hellendoorn, Wierden" in text
    assert "Vijftig woningen voor statushouders" in text and "31-12-2024" in text
    assert "Lopend" in text and "Nog niet begonnen" in text
    assert "4. Huisvesting" in text
    assert "Besluit over flexwonen" in text and "Besluit dat wonen raakt" in text
    assert "Besluit over scholen" not in text
    assert "Locaties inventariseren" in text and "13-03-2024" in text
    assert "Al gedaan" not in text


def test_the_page_takes_the_same_queries_whatever_the_size(
    area, housing, django_assert_num_queries
):
    client = reader("coordinator", area["twente"])
    url = reverse("meetings:portfolio", args=[housing.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    item = housing.agenda_items.get()
    for n in range(5):
        more = AgendaItemFactory(meeting=item.meeting, number=f"9.{n}", portfolio=housing)
        EntryFactory(item=more, kind=EntryKind.DECISION, text=f"Meer {n}")
        ActionFactory(item=more, text=f"Actie {n}")
    with django_assert_num_queries(len(before)):
        client.get(url)


def test_the_list_shows_each_portfolio_with_its_counts_and_is_linked_from_meetings(
    area, housing, django_assert_max_num_queries
):
    client = reader("project_leader", area["twente"])
    client.get(reverse("meetings:portfolios"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:portfolios"))
    assert response.status_code == 200
    portfolios = response.context["portfolios"]
    assert [(len(p.decisions), len(p.open_actions)) for p in portfolios] == [(2, 1)]
    assert reverse("meetings:portfolio", args=[housing.pk]) in response.content.decode()
    meetings = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:portfolios") in meetings


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "secretary"])
def test_another_regions_people_do_not_see_the_portfolio(area, housing, role):
    client = reader(role, area["ijsselland"])
    assert client.get(reverse("meetings:portfolio", args=[housing.pk])).status_code == 404
    listed = client.get(reverse("meetings:portfolios"))
    assert listed.context["portfolios"] == []
    assert "Vijftig woningen" not in listed.content.decode()


def test_a_provincial_reader_reads_the_provinces_portfolios_only(area, housing, towns):
    prt = portfolio_create(
        body=area["bodies"]["prt_overijssel"], theme="arbeidsmarkt", holders=[towns["zwolle"]]
    )
    client = reader("provincial_reader", area["twente"])
    assert client.get(reverse("meetings:portfolio", args=[housing.pk])).status_code == 404
    assert client.get(reverse("meetings:portfolio", args=[prt.pk])).status_code == 200
    assert [p.pk for p in client.get(reverse("meetings:portfolios")).context["portfolios"]] == [
        prt.pk
    ]


def test_an_unknown_portfolio_is_404(area):
    client = reader("coordinator", area["twente"])
    assert client.get(reverse("meetings:portfolio", args=[999999])).status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_the_api_lists_portfolios_with_their_decisions_and_open_actions(area, housing, towns):
    client = reader("secretary", area["twente"])
    response = client.get("/api/v1/portfolios")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == housing.pk and row["body"] == "TRA" and row["theme"] == "wonen"
    assert row["title"] == "Wonen"
    assert sorted(row["holders"]) == ["GM0163", "GM0189"]
    assert row["spearheads"][0] == {
        "goal": "Vijftig woningen voor statushouders",
        "target_date": "2024-12-31",
        "status": "lopend",
    }
    assert {d["text"] for d in row["decisions"]} == {
        "Besluit over flexwonen",
        "Besluit dat wonen raakt",
    }
    (action,) = row["open_actions"]
    assert action["text"] == "Locaties inventariseren" and action["due_date"] == "2024-03-13"
    assert action["item"] == "4" and action["id"]
    detail = client.get(f"/api/v1/portfolios/{housing.pk}")
    assert detail.status_code == 200 and detail.json() == row


def test_the_api_list_takes_a_fixed_number_of_queries(
    area, housing, towns, django_assert_max_num_queries
):
    tra = area["bodies"]["tra_twente"]
    for theme in ("onderwijs", "arbeidsmarkt", "zorg"):
        portfolio = portfolio_create(body=tra, theme=theme, holders=[towns["almelo"]])
        spearhead_add(portfolio=portfolio, goal=f"Doel {theme}")
        ActionFactory(
            item=AgendaItemFactory(
                portfolio=portfolio, meeting=housing.agenda_items.get().meeting, number=theme
            )
        )
    client = reader("coordinator", area["twente"])
    client.get("/api/v1/portfolios")
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/portfolios")
    assert len(response.json()["results"]) == 4


def test_the_api_scopes_like_the_pages(area, housing):
    other = reader("coordinator", area["ijsselland"])
    assert other.get("/api/v1/portfolios").json()["results"] == []
    answer = other.get(f"/api/v1/portfolios/{housing.pk}")
    assert answer.status_code == 404
    assert "Wonen" not in answer.content.decode()
    provincial = reader("provincial_reader", area["twente"])
    assert provincial.get(f"/api/v1/portfolios/{housing.pk}").status_code == 404


def test_the_api_is_read_only(area, housing):
    client = reader("secretary", area["twente"])
    assert client.post("/api/v1/portfolios", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/v1/portfolios/{housing.pk}").status_code == 405
    assert Portfolio.objects.filter(pk=housing.pk).exists()


# --- admin ---------------------------------------------------------------------------------


def _admin_data(area, holders, spearheads):
    data = {
        "body": area["bodies"]["tra_twente"].pk,
        "theme": "onderwijs",
        "title": "",
        "holders": [str(h.pk) for h in holders],
        "spearheads-TOTAL_FORMS": str(len(spearheads)),
        "spearheads-INITIAL_FORMS": "0",
        "spearheads-MIN_NUM_FORMS": "0",
        "spearheads-MAX_NUM_FORMS": "2",
    }
    for n, goal in enumerate(spearheads):
        data |= {
            f"spearheads-{n}-position": str(n + 1),
            f"spearheads-{n}-goal": goal,
            f"spearheads-{n}-status": "open",
            f"spearheads-{n}-target_date": "2024-06-30",
        }
    return data


@pytest.fixture
def twente_secretary(area):
    user = UserFactory(role="secretary", scope__region=area["twente"])
    user.is_staff = True
    user.save()
    return client_for(user)


def test_the_secretary_adds_a_portfolio_with_spearheads_in_the_admin(area, towns, twente_secretary):
    data = _admin_data(area, [towns["almelo"], towns["wierden"]], ["Stageplekken", "Taalles"])
    response = twente_secretary.post(reverse("admin:meetings_portfolio_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    portfolio = Portfolio.objects.get(theme="onderwijs")
    assert portfolio.holders.count() == 2
    assert list(portfolio.spearheads.values_list("goal", flat=True)) == ["Stageplekken", "Taalles"]


@pytest.mark.parametrize(
    ("holders", "spearheads", "message"),
    [
        ([], ["Een"], "holders"),
        (["almelo", "wierden", "hellendoorn"], ["Een"], "een of 2 gemeenten"),
        # Zwolle (IJsselland) is not even offered: the field refuses the choice.
        (["almelo", "zwolle"], ["Een"], "holders"),
        (["almelo"], ["Een", "Twee", "Drie"], "ten hoogste 2"),
    ],
)
def test_the_admin_refuses_a_wrong_portfolio(
    area, towns, twente_secretary, holders, spearheads, message
):
    data = _admin_data(area, [towns[name] for name in holders], spearheads)
    data["spearheads-MAX_NUM_FORMS"] = "1000"
    response = twente_secretary.post(reverse("admin:meetings_portfolio_add"), data)
    assert response.status_code == 200
    assert not Portfolio.objects.exists()
    assert not Spearhead.objects.exists()
    errors = str(response.context["adminform"].form.errors) + "".join(
        str(inline.formset.non_form_errors())
        for inline in response.context["inline_admin_formsets"]
    )
    assert message in errors, errors


def test_the_secretary_names_the_portfolio_on_an_agenda_item(area, housing, twente_secretary):
    item = housing.agenda_items.get()
    page = twente_secretary.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))
    assert page.status_code == 200
    choices = page.context["adminform"].form.fields["portfolio"].queryset
    assert list(choices) == [housing]


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "provincial_reader"])
def test_another_role_cannot_edit_portfolios_in_the_admin(area, housing, towns, role):
    user = UserFactory(role=role, scope__region=area["twente"])
    user.is_staff = True
    user.save()
    client = client_for(user)
    change = reverse("admin:meetings_portfolio_change", args=[housing.pk])
    assert client.get(change).status_code in (302, 403)
    data = _admin_data(area, [towns["almelo"]], ["Ander doel"])
    assert client.post(reverse("admin:meetings_portfolio_add"), data).status_code in (302, 403)
    assert client.post(change, data).status_code in (302, 403)
    housing.refresh_from_db()
    assert housing.theme == "wonen" and Portfolio.objects.count() == 1


def test_another_regions_secretary_does_not_get_the_portfolio_in_the_admin(area, housing):
    user = UserFactory(role="secretary", scope__region=area["ijsselland"])
    user.is_staff = True
    user.save()
    client = client_for(user)
    listed = client.get(reverse("admin:meetings_portfolio_changelist"))
    assert listed.status_code == 200 and housing not in listed.context["cl"].queryset
    change = client.get(reverse("admin:meetings_portfolio_change", args=[housing.pk]))
    assert change.status_code == 302  # the admin's "does not exist" redirect
