import pytest

from tests.factories import MunicipalityFactory, SafetyRegionFactory


@pytest.fixture
def enforced(settings):
    """The second factor as production enforces it (the suite's bypass off)."""
    settings.TWO_FACTOR_BYPASS = False
    return settings


@pytest.fixture
def places(db):
    """Twente with Enschede and Hengelo, IJsselland with Deventer."""
    twente = SafetyRegionFactory(code="VR05", name="Twente")
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland")
    return {
        "VR05": twente,
        "VR04": ijsselland,
        "GM0153": MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente),
        "GM0164": MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=twente),
        "GM0150": MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland),
    }


@pytest.fixture
def oidc_on(settings):
    """OpenID Connect switched on with endpoints set one by one (no discovery, no network)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "opvang-twente"
    settings.OIDC_RP_CLIENT_SECRET = "geheim"
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_ISSUER = "https://idp.example.nl"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.nl/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.nl/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.nl/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example.nl/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://idp.example.nl/logout"
    return settings
