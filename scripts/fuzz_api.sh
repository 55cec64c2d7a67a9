#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against the project's own OpenAPI schema, on a live
# server with a throwaway database, authenticated as a coordinator. Fails on any 5xx or any
# response that does not match the schema. Usage: make fuzz   (MAX_EXAMPLES=25 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${FUZZ_PORT:-8765}
WORKDIR=$(mktemp -d)
# Production settings (DEBUG off), so errors look exactly as clients will see them.
export DEBUG=false SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_ROOT="$WORKDIR/static" \
  SQLITE_PATH="$WORKDIR/fuzz.sqlite3" API_TOKEN_THROTTLE_RATE=1000000/minute
unset DATABASE_URL REDIS_URL

$PY manage.py collectstatic --noinput -v0
$PY manage.py migrate --noinput -v0
$PY manage.py load_twente -v0
USER_PASSWORD="fuzz-$(date +%s)-coordinator" $PY manage.py add_user fuzzer --role coordinator >/dev/null
TOKEN=$($PY manage.py drf_create_token fuzzer | awk '{print $3}')

$PY manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORKDIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORKDIR"' EXIT
for _ in $(seq 1 40); do
  curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break
  sleep 0.5
done

mkdir -p artifacts
set +e
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Token $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "${MAX_EXAMPLES:-25}" \
  --generation-deterministic \
  --request-timeout 30 \
  --report junit --report-junit-path artifacts/schemathesis-junit.xml
STATUS=$?
set -e
if [ $STATUS -ne 0 ]; then
  echo "--- server log (last 60 lines)"
  tail -n 60 "$WORKDIR/server.log"
fi
exit $STATUS
