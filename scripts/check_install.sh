#!/usr/bin/env bash
# The install as a deployment does it: `pip install .` into a fresh virtual environment, then
# the site run from a directory outside the checkout, so that a module, template, static file,
# translation or fixture missing from the package fails here instead of in production.
set -euo pipefail
CHECKOUT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== pip install . into a fresh virtual environment"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
# Build from a copy, so no build artefact lands in the checkout.
mkdir -p "$WORK/src"
(cd "$CHECKOUT" && git ls-files -z | xargs -0 -I{} cp --parents {} "$WORK/src/")
"$WORK/venv/bin/python" -m pip install --quiet "$WORK/src" 2>&1 | grep -v "^WARNING: Location" || true
rm -rf "$WORK/src"

mkdir -p "$WORK/run"
cd "$WORK/run"
export DJANGO_SETTINGS_MODULE=twente.settings
export DEBUG=false SECRET_KEY="check-install-$(date +%s)-not-a-secret-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
export SQLITE_PATH="$WORK/run/db.sqlite3" STATIC_ROOT="$WORK/run/static"
export MEDIA_ROOT="$WORK/run/media" PRIVATE_MEDIA_ROOT="$WORK/run/private"
unset DATABASE_URL REDIS_URL PYTHONPATH
ADMIN="$WORK/venv/bin/django-admin"

echo "== the installed package, not the checkout"
"$WORK/venv/bin/python" - "$CHECKOUT" <<'PY'
import sys
import twente
if twente.__file__.startswith(sys.argv[1]):
    sys.exit(f"twente is imported from the checkout: {twente.__file__}")
print("twente from", twente.__file__)
PY

echo "== check --deploy, migrate, collectstatic, load_twente"
"$ADMIN" check --deploy --fail-level WARNING
# Plain HTTP on loopback from here on: no TLS proxy in front.
export SECURE_SSL_REDIRECT=false
"$ADMIN" migrate --noinput >/dev/null
"$ADMIN" collectstatic --noinput >/dev/null
"$ADMIN" load_twente >"$WORK/load_twente.log" 2>&1 || { cat "$WORK/load_twente.log"; exit 1; }

echo "== one request to gunicorn"
PORT=$("$WORK/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$WORK/venv/bin/gunicorn" twente.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 \
  --log-level warning &
SERVER_PID=$!
"$WORK/venv/bin/python" - "$PORT" <<'PY'
import sys
import time
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"

def get(path, language="nl"):
    request = urllib.request.Request(base + path, headers={"Accept-Language": language})
    for _ in range(60):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.5)
    sys.exit(f"no answer on {path}")

status, body = get("/accounts/login/")
assert status == 200, (status, body[:500])
assert "Inloggen" in body, "the login page is not the Dutch one"
status, body = get("/accounts/login/", language="en")
assert status == 200 and "Inloggen" not in body, "the login page has no English (translations missing?)"
stylesheet = body.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
status, _ = get(stylesheet)
assert status == 200, f"static file {stylesheet} gives {status}"
status, body = get("/api/v1/openapi.json")
assert status == 200 and '"openapi"' in body, "the OpenAPI document does not answer"
print("login page (nl, en), stylesheet", stylesheet, "and the OpenAPI document answer")
PY
echo "== install check passed"
