"""Reading the API's problem details (RFC 9457) in tests."""

PROBLEM = "application/problem+json"
FIELDS = {"type", "title", "status", "detail", "instance"}


def problem(response, status: int) -> dict:
    """The body of an error answer, after checking that it is a problem of `status`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert FIELDS <= set(body), body
    assert body["status"] == status
    return body


def field_errors(response) -> dict[str, list[str]]:
    """A 400's `invalidParams` as {name: [reasons]}; messages for no one field under
    "detail" (when there are any)."""
    body = problem(response, 400)
    errors: dict[str, list[str]] = {}
    for param in body.get("invalidParams", []):
        errors.setdefault(param["name"], []).append(param["reason"])
    if not body.get("invalidParams"):
        errors["detail"] = [body["detail"]]
    return errors
