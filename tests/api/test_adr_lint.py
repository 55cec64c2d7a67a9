"""The published OpenAPI document passes the NL GOV API Design Rules 2.1.0 lint (Spectral,
the official ruleset in tests/adr) with no errors and no warnings."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ADR = Path(__file__).resolve().parents[1] / "adr"
RULESET = ADR / "adr-2.1.0.spectral.yml"
SPECTRAL = ADR / "node_modules" / ".bin" / "spectral"


@pytest.fixture
def spectral():
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the ADR lint (Spectral, from npm) cannot run")
    assert SPECTRAL.exists(), "run `npm ci --prefix tests/adr` (make test does)"
    return SPECTRAL


def test_the_published_schema_passes_the_adr_2_1_0_lint(client, db, spectral, tmp_path):
    # Fetched as a client does, without login; over HTTPS, as production serves it.
    response = client.get("/api/v1/openapi.json", secure=True)
    assert response.status_code == 200
    document = tmp_path / "openapi.json"
    document.write_bytes(response.content)
    result = subprocess.run(
        [str(spectral), "lint", "-r", str(RULESET), "-f", "json", "--quiet", str(document)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout.strip()
    diagnostics = json.loads(output) if output.startswith("[") else None
    assert diagnostics is not None, (result.returncode, result.stdout, result.stderr)
    # Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
    found = [
        f"{item['code']} at {'.'.join(map(str, item['path']))}: {item['message']}"
        for item in diagnostics
        if item["severity"] <= 1
    ]
    assert found == []
