#!/usr/bin/env bash
# Load test: 50 concurrent users for 60 s against gunicorn with PostgreSQL and Redis, on
# loopback only, production settings (DEBUG off). About 2 minutes (3-4 the first time, for
# collectstatic). Usage:
#
#     bench/load/run.sh            # needs PostgreSQL (role twente, CREATEDB) and Redis
#
# 1. a fresh database twente_load: migrate, load_twente, bench/load/seed.py (Twente's
#    locations, a year of weekly reports, tasks, accounts with tokens), collectstatic;
# 2. gunicorn (2 x cores + 1 workers, 127.0.0.1 only) and a Celery worker on Redis db 2;
# 3. locust, headless: coordinators, the provincial table and project leaders (locustfile.py);
# 4. stops everything, prints the figures per request type (bench/load/report.py) and checks
#    that nothing was lost (bench/load/verify.py).
# Exits non-zero on any failed request, any failed check, or an error in the server or worker
# log. Cleans up (processes, database, Redis db, temporary files) also when it fails.
# Results stay in artifacts/load/ (locust CSV, server and worker logs, the logs of writes and
# requests).
#
# Settings (environment): LOAD_PORT (8790), LOAD_USERS (50), LOAD_SPAWN_RATE (10),
# LOAD_DURATION (60s), LOAD_GUNICORN_WORKERS (2 x cores + 1), LOAD_PG
# (postgres://twente:twente@127.0.0.1:5432), LOAD_REDIS_URL (redis://127.0.0.1:6399/2; this
# Redis database is flushed before and after),
# LOAD_THROTTLE_RATE (the load test's API token rate, 6000/minute), LOAD_THINK_MIN and
# LOAD_THINK_MAX (seconds a person waits between requests, 3 and 8).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
PORT=${LOAD_PORT:-8790}
USERS=${LOAD_USERS:-50}
SPAWN_RATE=${LOAD_SPAWN_RATE:-10}
DURATION=${LOAD_DURATION:-60s}
WORKERS=${LOAD_GUNICORN_WORKERS:-$((2 * $(nproc) + 1))}
PG=${LOAD_PG:-postgres://twente:twente@127.0.0.1:5432}
DB=twente_load
OUT=artifacts/load
WORKDIR=$(mktemp -d)
STARTED=$(date +%s)
GUNICORN=
WORKER=

# Production settings. No TLS proxy here: the load test client sends the X-Forwarded-Proto
# header such a proxy sets (BEHIND_TLS_PROXY), so SSL redirect, secure cookies and HSTS stay on.
# The API token rate is raised for the load test's shared provincial token (50 users would
# exceed the production default of 600/minute); throttling itself stays on.
export DEBUG=false SECRET_KEY="load-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT="$PWD/artifacts/load/static" LOG_LEVEL=WARNING \
  DATABASE_URL="$PG/$DB" REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6399/2} \
  API_TOKEN_THROTTLE_RATE=${LOAD_THROTTLE_RATE:-6000/minute}

psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAt "$@"; }
redis_flush() { $PY -c "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"; }
stop() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$GUNICORN"
  stop "$WORKER"
  psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  redis_flush || true
  rm -rf "$WORKDIR"
  echo "load test: $(( $(date +%s) - STARTED )) s in all"
}
trap cleanup EXIT

mkdir -p "$OUT"
rm -f "$OUT"/locust_*.csv "$OUT"/*.log "$OUT"/*.json
echo "--- $(date +%T) database $DB, Redis $REDIS_URL"
psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis_flush
# Seeding runs its recomputes in-process, so the worker starts with an empty queue.
env -u REDIS_URL $PY manage.py migrate --noinput -v0
env -u REDIS_URL $PY manage.py load_twente -v0
env -u REDIS_URL $PY bench/load/seed.py "$WORKDIR/accounts.json"
# collectstatic compresses every file (gzip and, with brotli installed, brotli): a minute or
# two. The collected files are kept in artifacts/load/static and reused while nothing in
# static/ or the installed packages is newer.
MANIFEST="$STATIC_ROOT/staticfiles.json"
PACKAGES=$($PY -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
if [ -f "$MANIFEST" ] && [ -z "$(find static -newer "$MANIFEST" -print -quit)" ] \
    && [ -z "$(find "$PACKAGES" -maxdepth 1 -newer "$MANIFEST" -print -quit)" ]; then
  echo "static files: reusing $STATIC_ROOT"
else
  $PY manage.py collectstatic --noinput --clear -v0
fi
$PY -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'twente.settings'); \
django.setup(); from django.db import connection; connection.cursor().execute('ANALYZE')"

echo "--- $(date +%T) gunicorn ($WORKERS workers) on 127.0.0.1:$PORT, Celery worker (prefork, 2)"
.venv/bin/celery -A twente worker --concurrency 2 --loglevel=INFO --without-gossip \
  --without-mingle >"$OUT/worker.log" 2>&1 &
WORKER=$!
.venv/bin/gunicorn twente.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --error-logfile "$OUT/gunicorn.log" >>"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
for _ in $(seq 1 60); do
  curl -sf -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health/" >/dev/null && break
  sleep 0.5
done
curl -sf -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health/"; echo
$PY manage.py check_worker --timeout 30

echo "--- $(date +%T) locust: $USERS users (spawn $SPAWN_RATE/s) for $DURATION"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
read -r WEB_CPU WORKER_CPU <<<"$($PY bench/load/cpu.py "$GUNICORN" "$WORKER")"
set +e
LOAD_ACCOUNTS="$WORKDIR/accounts.json" LOAD_WRITES="$OUT/writes.json" \
  LOAD_REQUESTS="$OUT/requests.json" .venv/bin/locust \
  -f bench/load/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --stop-timeout 90 --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary \
  --loglevel WARNING >"$OUT/locust.log" 2>&1
LOCUST_STATUS=$?
set -e
read -r WEB_CPU_AFTER _ <<<"$($PY bench/load/cpu.py "$GUNICORN" "$WORKER")"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# Stop taking requests; the worker keeps running until verify.py has seen its queue drain.
stop "$GUNICORN"
GUNICORN=

echo "--- $(date +%T) results"
set +e
$PY bench/load/report.py "$OUT/locust" "$(awk "BEGIN { print $WEB_CPU_AFTER - $WEB_CPU }")" \
  "$OUT/requests.json"
REPORT_STATUS=$?
echo "machine load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after"
$PY bench/load/verify.py "$WORKDIR/accounts.json" "$OUT/writes.json"
VERIFY_STATUS=$?
set -e
WORKER_CPU_AFTER=$($PY bench/load/cpu.py "$WORKER")
stop "$WORKER"
WORKER=

LOG_STATUS=0
# Django logs 4xx/5xx as WARNING/ERROR (JSON lines); gunicorn logs crashed workers.
if grep -E '"level": "(WARNING|ERROR|CRITICAL)"|Traceback|\[CRITICAL\]|WORKER TIMEOUT' \
    "$OUT/gunicorn.log"; then
  echo "server log: warnings or errors (above)"; LOG_STATUS=1
fi
if grep -E 'ERROR|CRITICAL|Traceback|Retry in|deadlock' "$OUT/worker.log"; then
  echo "worker log: errors or retries (above)"; LOG_STATUS=1
fi
echo "worker: $(grep -c 'succeeded in' "$OUT/worker.log") tasks succeeded," \
  "$(awk "BEGIN { print $WORKER_CPU_AFTER - $WORKER_CPU }") CPU s"
if [ $LOCUST_STATUS -ne 0 ] && [ $REPORT_STATUS -eq 0 ]; then
  echo "locust exited with $LOCUST_STATUS:"; tail -n 30 "$OUT/locust.log"
fi
STATUS=$(( LOCUST_STATUS | REPORT_STATUS | VERIFY_STATUS | LOG_STATUS ))
[ $STATUS -eq 0 ] && echo "load test: PASSED" || echo "load test: FAILED"
exit $STATUS
