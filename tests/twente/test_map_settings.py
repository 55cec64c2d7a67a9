"""The map's tiles: PDOK BRT-Achtergrondkaart by default, its origin in the CSP; empty for none.
Each case reads the settings in a fresh interpreter, as a deployment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'url': settings.MAP_TILE_URL, 'attribution': settings.MAP_TILE_ATTRIBUTION,"
    " 'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
)
MAP_VARIABLES = {"MAP_TILE_URL", "MAP_TILE_ATTRIBUTION", "MAP_TILE_ORIGINS"}


def probe(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in MAP_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "twente.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_standard_map_is_pdoks_brt_achtergrondkaart():
    found = probe()

    assert found["url"] == (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    assert "Kadaster" in found["attribution"]
    assert "https://service.pdok.nl" in found["img"]


def test_an_empty_tile_url_means_no_tiles_and_no_tile_origin():
    found = probe(MAP_TILE_URL="")

    assert found["url"] == "" and found["attribution"] == ""
    assert found["img"] == ["'self'", "data:"]


def test_another_tile_server_brings_its_own_origin():
    found = probe(
        MAP_TILE_URL="https://tiles.example.nl/{z}/{x}/{y}.png",
        MAP_TILE_ATTRIBUTION="© voorbeeld",
        MAP_TILE_ORIGINS="https://tiles.example.nl",
    )

    assert found["img"] == ["'self'", "data:", "https://tiles.example.nl"]
    assert found["attribution"] == "© voorbeeld"
