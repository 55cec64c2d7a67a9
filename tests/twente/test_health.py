from unittest import mock


def test_health_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_health_says_503_when_the_database_is_down(client, db):
    with mock.patch("twente.health._database_ok", return_value=False):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "redis": response.json()["redis"],
    }


def test_health_checks_redis_when_configured(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"
