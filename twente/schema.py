"""OpenAPI post-processing: document the error answers every endpoint can give.

DRF views answer 400 (validation, bad filter values), 401 (no or bad token), 403 (role or
municipality), 404 (unknown code, page out of range), 409 (conflict), 429 (token rate limit) and
503 (database or Redis down). drf-spectacular documents only the success answer by default,
which API clients (and the schemathesis fuzzing in CI) rightly treat as a contract.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. `detail` carries a Dutch message; validation errors instead map each field "
        "name (or `non_field_errors`) to a list of Dutch messages."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
    "example": {"detail": "U heeft geen toegang tot deze gemeente."},
}
ERRORS = {
    "400": "Ongeldige invoer: per veld een lijst met meldingen.",
    "401": "Niet ingelogd: geef `Authorization: Token <sleutel>` mee.",
    "403": "Geen toestemming voor deze rol, regio of gemeente.",
    "404": "Niet gevonden (onbekende code of pagina buiten bereik).",
    "409": "Conflict: de gegevens zijn intussen gewijzigd of er is geen plek meer.",
    "429": "Te veel verzoeken met deze sleutel; probeer het later opnieuw.",
    "503": "De database of de takenwachtrij is tijdelijk niet bereikbaar.",
}

# One example answer per status, so that a client sees the shape: field errors for 400,
# `detail` otherwise.
EXAMPLES = {
    "400": {
        "occupied": ["Bezet (61) kan niet hoger zijn dan de capaciteit (60)."],
        "date": ["Een datum in de toekomst kan niet."],
    },
    "401": {"detail": "Authenticatiegegevens zijn niet opgegeven."},
    "403": {
        "detail": "U mag alleen locaties en tellingen van uw eigen gemeente bekijken en wijzigen."
    },
    "404": {"detail": "Niet gevonden."},
    "409": {"detail": "Geen plek meer: de locatie heeft te weinig vrije plekken."},
    "429": {"detail": "Verzoek is afgeknepen. Verwacht beschikbaar in 42 seconden."},
    "503": {
        "detail": "Het systeem is tijdelijk niet bereikbaar: de database of de takenwachtrij "
        "antwoordt niet. Probeer het over enkele minuten opnieuw."
    },
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": ref, "example": EXAMPLES[status]}
                        },
                    },
                )
    return result
