from rest_framework.authtoken.models import Token

from tests.factories import KeyFigureFactory, MunicipalityFactory, SafetyRegionFactory, UserFactory


def test_anonymous_callers_get_401(api_client, twente):
    response = api_client.get("/api/v1/municipalities")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_client_lists_twente_with_current_population(api_client, twente):
    token = Token.objects.create(user=UserFactory(role="provincial_reader"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/municipalities", {"region": "VR05"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 14
    assert body["results"][0] == {
        "code": "GM0141",
        "name": "Almelo",
        "safety_region": "VR05",
        "population": 73_155,
    }
    assert sum(row["population"] for row in body["results"]) == 633_917


def test_region_filter_excludes_other_regions(api_client, twente):
    MunicipalityFactory(
        code="GM0150",
        name="Deventer",
        safety_region=SafetyRegionFactory(code="VR04", name="IJsselland"),
    )
    api_client.force_authenticate(UserFactory(role="coordinator"))
    codes = [
        row["code"]
        for row in api_client.get("/api/v1/municipalities?region=VR04").json()["results"]
    ]
    assert codes == ["GM0150"]


def test_detail_is_addressed_by_cbs_code(api_client, twente):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    response = api_client.get("/api/v1/municipalities/GM0153")
    assert response.json()["name"] == "Enschede"
    assert api_client.get("/api/v1/municipalities/GM9999").status_code == 404


def test_an_account_without_a_role_gets_403(api_client, twente):
    api_client.force_authenticate(UserFactory(username="norole"))
    assert api_client.get("/api/v1/municipalities").status_code == 403


def test_page_size_is_capped_at_500(api_client, twente):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    body = api_client.get("/api/v1/municipalities?page_size=10000").json()
    assert len(body["results"]) == 14


def test_the_list_uses_a_constant_number_of_queries(
    api_client, twente, django_assert_max_num_queries
):
    user = UserFactory(role="coordinator")
    api_client.force_authenticate(user)
    for n in range(60):
        KeyFigureFactory(municipality=MunicipalityFactory(), population=1000 + n)
    # count + page, plus the role lookup; independent of the 74 rows.
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/municipalities?page_size=500")
    assert response.json()["count"] == 74


def test_schema_and_docs_are_served_to_users(client, twente):
    client.force_login(UserFactory(role="coordinator"))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/municipalities" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_a_related_field_offers_the_callers_own_choices_but_validates_every_row(db):
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from municipalities.api import OwnChoicesSlugField
    from municipalities.models import Municipality

    twente = SafetyRegionFactory(code="VR05", name="Twente")
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland")
    MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)

    class Form(serializers.Serializer):
        municipality = OwnChoicesSlugField(
            slug_field="code",
            queryset=Municipality.objects.all(),
            offer=lambda user: Municipality.objects.filter(safety_region__code="VR04"),
        )

    request = APIRequestFactory().get("/")
    request.user = UserFactory(role="coordinator", scope__region=ijsselland)
    form = Form(data={"municipality": "GM0153"}, context={"request": request})
    assert list(form.fields["municipality"].choices) == ["GM0150"]
    # The view, not the field, refuses another region's row (with 403).
    assert form.is_valid()
    assert form.validated_data["municipality"].name == "Enschede"
    assert dict(Form().fields["municipality"].get_choices()) == {}
