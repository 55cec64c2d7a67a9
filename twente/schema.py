"""OpenAPI post-processing: what every operation shares, per the NL GOV API Design Rules.

drf-spectacular documents each view's success answer; this hook adds to every operation

- the error answers every endpoint can give, as problem details (RFC 9457,
  `application/problem+json`, `twente.api_errors`): 400 (validation, bad filter values),
  401 (no or bad token), 403 (role or municipality), 404 (unknown code, page out of range),
  409 (conflict), 429 (token rate limit) and 503 (database or Redis down);
- the `API-Version` header on every answer (/core/version-header);

and to the document `servers` (/core/uri-version), the published `/openapi.json` itself
(/core/publish-openapi) and the list of tags. API clients (and the schemathesis fuzzing in
CI) rightly treat all of it as the contract, so new endpoints get it without doing anything.
"""

from django.conf import settings

PROBLEM = "application/problem+json"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": (
        "Problem details (RFC 9457). `detail` carries a Dutch message; a validation error "
        "(400) lists each field in `invalidParams`."
    ),
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri",
            "description": "The kind of problem: the status code's definition in HTTP.",
        },
        "title": {"type": "string", "description": "Short Dutch summary of the kind."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, in Dutch."},
        "instance": {
            "type": "string",
            "format": "uri-reference",
            "description": "The path that was asked for.",
        },
        "code": {
            "type": "string",
            "description": "A stable code for programs, e.g. `invalid`, `conflict`.",
        },
        "invalidParams": {
            "type": "array",
            "description": "400 only: each invalid field or query parameter.",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "Field or parameter; nested as `shares[0].agreed_share`.",
                    },
                    "code": {"type": "string"},
                    "reason": {"type": "string", "description": "Dutch message."},
                },
            },
        },
    },
}

ERRORS = {
    "400": "Ongeldige invoer: per veld een melding in `invalidParams`.",
    "401": "Niet ingelogd: geef `Authorization: Token <sleutel>` mee.",
    "403": "Geen toestemming voor deze rol, regio of gemeente.",
    "404": "Niet gevonden (onbekende code of pagina buiten bereik).",
    "409": "Conflict: de gegevens zijn intussen gewijzigd of er is geen plek meer.",
    "429": "Te veel verzoeken met deze sleutel; probeer het later opnieuw.",
    "503": "De database of de takenwachtrij is tijdelijk niet bereikbaar.",
}


def _example(status: int, title: str, detail: str, **extra) -> dict:
    return {
        "type": f"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "/api/v1/capacity-reports",
        **extra,
    }


# One example answer per status, so that a client sees the shape.
EXAMPLES = {
    "400": _example(
        400,
        "Ongeldige invoer",
        "De invoer is niet in orde; zie invalidParams per veld.",
        code="invalid",
        invalidParams=[
            {
                "name": "occupied",
                "code": "invalid",
                "reason": "Bezet (61) kan niet hoger zijn dan de capaciteit (60).",
            }
        ],
    ),
    "401": _example(
        401,
        "Niet ingelogd",
        "Authenticatiegegevens zijn niet opgegeven.",
        code="not_authenticated",
    ),
    "403": _example(
        403,
        "Geen toegang",
        "U mag alleen locaties en tellingen van uw eigen gemeente bekijken en wijzigen.",
        code="permission_denied",
    ),
    "404": _example(
        404,
        "Niet gevonden",
        "Er is niets op dit adres, of het gevraagde bestaat niet.",
        code="not_found",
    ),
    "409": _example(
        409,
        "Conflict",
        "Iemand anders heeft deze melding intussen gewijzigd. Haal de melding opnieuw op en "
        "voer uw wijziging nog eens in.",
        code="conflict",
    ),
    "429": {
        **_example(
            429,
            "Te veel verzoeken",
            "Verzoek is afgeknepen. Verwacht beschikbaar in 42 seconden.",
            code="throttled",
        ),
        "type": "https://www.rfc-editor.org/rfc/rfc6585#section-4",
    },
    "503": _example(
        503,
        "Tijdelijk niet beschikbaar",
        "Het systeem is tijdelijk niet bereikbaar: de database of de takenwachtrij "
        "antwoordt niet. Probeer het over enkele minuten opnieuw.",
        code="service_unavailable",
    ),
}

HEADERS = {
    "API-Version": {
        "description": "The full version of the API (semantic versioning), e.g. 1.0.0.",
        "required": True,
        "schema": {"type": "string", "example": settings.API_VERSION},
    },
    "Access-Control-Allow-Origin": {
        "description": "`*`: the OpenAPI document may be read from any origin.",
        "required": True,
        "schema": {"type": "string", "example": "*"},
    },
}
VERSION_HEADER = {"API-Version": {"$ref": "#/components/headers/API-Version"}}

# The Dutch line for each group of operations in the docs.
TAGS = {
    "actions": "Acties uit de verslagen, over vergaderingen heen",
    "allocations": "Verdeling van een taakstelling proberen, zonder op te slaan",
    "assignments": "Taakstellingen met hun aandelen per gemeente",
    "capacity-outlook": "Vooruitblik op de operationele plekken per maand",
    "capacity-reports": "Tellingen van capaciteit en bezetting per locatie en datum",
    "exchanges": "Uitruil en saldering tussen gemeenten",
    "locations": "Opvanglocaties met hun laatst gemelde cijfers",
    "matches": "Locaties met vrije plekken voor een plaatsingsverzoek",
    "meetings": "Vergaderingen met agendapunten, besluiten, knelpunten en acties",
    "municipalities": "Gemeenten met hun inwonertal (CBS-referentiegegevens)",
    "openapi": "Het OpenAPI-document van deze API",
    "overview": "Het regionale, provinciale en landelijke beeld",
    "permit-holder-reports": "Huisvesting van statushouders per gemeente en datum",
    "placements": "Plaatsingen van de belteams",
}

OPENAPI_PATH = {
    "get": {
        "operationId": "openapi_retrieve",
        "summary": "This OpenAPI document",
        "description": (
            "The OpenAPI 3 document of this API, without login; `/openapi.yaml` gives the same "
            "as YAML."
        ),
        "tags": ["openapi"],
        "security": [{}],
        "responses": {
            "200": {
                "description": "The OpenAPI document.",
                "headers": {
                    **VERSION_HEADER,
                    # Lower case: the ADR ruleset looks the header up by this exact name.
                    "access-control-allow-origin": {
                        "$ref": "#/components/headers/Access-Control-Allow-Origin"
                    },
                },
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    }
}

METHODS = {"get", "post", "put", "patch", "delete"}


def _problem_response(status: str, description: str | None = None) -> dict:
    example = EXAMPLES.get(status) or _example(int(status), status, description or status)
    return {
        "description": description or ERRORS.get(status, status),
        "headers": dict(VERSION_HEADER),
        "content": {
            PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}, "example": example}
        },
    }


def _server_url(request) -> str:
    if request is None:
        return "/api/v1"
    return request.build_absolute_uri("/api/v1")


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("headers", {}).update(HEADERS)
    result["servers"] = [{"url": _server_url(request), "description": "Opvang Twente API v1"}]
    result["info"]["contact"] = dict(settings.API_CONTACT)
    paths = result.setdefault("paths", {})
    paths["/openapi.json"] = OPENAPI_PATH
    used_tags = set()
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            used_tags.update(operation.get("tags", []))
            if path == "/openapi.json":
                continue
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    # A view's own words for the error (say matching's 409), as a problem.
                    responses[status] = _problem_response(status, response.get("description"))
                else:
                    response.setdefault("headers", {}).update(VERSION_HEADER)
            for status in ERRORS:
                responses.setdefault(status, _problem_response(status))
    result["tags"] = [
        {"name": name, "description": TAGS.get(name, name)} for name in sorted(used_tags)
    ]
    _drop_unused_schemas(result)
    return result


def _refs(node, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _drop_unused_schemas(result) -> None:
    """Components no operation reaches (say the request form of a read-only nested
    serializer, which drf-spectacular registers all the same)."""
    schemas = result["components"]["schemas"]
    reached: set[str] = set()
    _refs({key: value for key, value in result.items() if key != "components"}, reached)
    reached |= {name for name in ("Problem",) if name in schemas}
    pending = list(reached)
    while pending:
        found: set[str] = set()
        _refs(schemas.get(pending.pop(), {}), found)
        for name in found - reached:
            reached.add(name)
            pending.append(name)
    for name in list(schemas):
        if name not in reached:
            del schemas[name]
