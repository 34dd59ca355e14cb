#!/usr/bin/env bash
# Smoke test of the zero-configuration default (CI): the compiled app with NO DATABASE_URL / REDIS_URL, so it runs
# the embedded PostgreSQL (PGlite) in a temporary DATA_DIR and jobs in-process. Checks:
#   1. /health/live answers within 30 s (time to health and RSS are printed);
#   2. /docs/openapi.json served by the booted app equals the committed openapi.json (which openapi:check builds
#      in preview mode without a database: this proves the two ways agree);
#   3. when the document has POST /api/v1/auth/register: register -> login -> GET /api/v1/users/me;
#   4. a restart on the same DATA_DIR (lock released, data kept): health again, and login again when (3) ran.
# Usage: scripts/smoke-embedded.sh   (after npm run build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
main="$root/dist/src/main.js"
[ -f "$main" ] || { echo "smoke: $main is missing (npm run build)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/botcafe-smoke.XXXXXX")
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
pid=""

stop_app() {
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "smoke: the app did not stop within 10 s of SIGTERM" >&2
    kill -KILL "$pid" 2>/dev/null || true
    pid=""
    return 1
  fi
  wait "$pid" 2>/dev/null || true
  pid=""
}
cleanup() {
  stop_app || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "smoke: FAILED: $*" >&2
  echo "--- last app log lines ---" >&2
  tail -n 40 "$work/app.log" >&2 || true
  exit 1
}

start_app() {
  local started=$(date +%s%N)
  # cwd = the temp folder: no .env of a developer's checkout leaks in; DATA_DIR is relative to nothing else.
  (cd "$work" && exec env -u DATABASE_URL -u REDIS_URL -u APP_ROLE NODE_ENV=development PORT="$port" \
    HOST=127.0.0.1 DATA_DIR="$work/data" LOG_LEVEL=warn node "$main" >>"$work/app.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$base/health/live" 2>/dev/null; then
      local ms=$((($(date +%s%N) - started) / 1000000))
      local rss=$(awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo "?")
      echo "smoke: $1: /health/live answered after ${ms} ms (RSS ${rss})"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "the app exited during start-up"
    sleep 0.1
  done
  fail "/health/live did not answer within 30 s"
}

# json FILE EXPR: prints a value from a JSON file (node, so jq is not needed).
json() { node -e "const d=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));const v=($2);process.stdout.write(v===undefined?'':String(v))" "$1"; }

# post PATH BODY [TOKEN] -> writes the body to $work/out.json, prints the status code
request() {
  local method=$1 path=$2 body=${3:-} token=${4:-}
  local args=(-sS -o "$work/out.json" -w '%{http_code}' -X "$method" "$base$path")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' --data "$body")
  [ -n "$token" ] && args+=(-H "authorization: Bearer $token")
  curl "${args[@]}"
}

start_app "first start (initdb + migrations)"

status=$(request GET /docs/openapi.json)
[ "$status" = 200 ] || fail "GET /docs/openapi.json answered $status"
cp "$work/out.json" "$work/served.json"
node -e "
  const { isDeepStrictEqual } = require('util');
  const fs = require('fs');
  const served = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
  const committed = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  if (!isDeepStrictEqual(served, committed)) {
    const paths = (d) => new Set(Object.keys(d.paths));
    const [s, c] = [paths(served), paths(committed)];
    console.error('served but not committed:', [...s].filter((p) => !c.has(p)));
    console.error('committed but not served:', [...c].filter((p) => !s.has(p)));
    process.exit(1);
  }
" "$work/served.json" "$root/openapi.json" ||
  fail "/docs/openapi.json (booted app) differs from openapi.json (npm run openapi:write)"
echo "smoke: /docs/openapi.json equals the committed openapi.json"

identity=$(json "$work/served.json" "d.paths['/api/v1/auth/register']?.post && d.paths['/api/v1/auth/login']?.post && d.paths['/api/v1/users/me']?.get ? 'yes' : 'no'")
email="smoke-$(date +%s)@example.com"
password="smoke-test-password-42"
if [ "$identity" = yes ]; then
  status=$(request POST /api/v1/auth/register \
    "{\"email\":\"$email\",\"password\":\"$password\",\"username\":\"smoke_user\",\"accepted_document_ids\":[]}")
  [ "$status" = 201 ] || fail "register answered $status: $(cat "$work/out.json")"
  grep -q password_hash "$work/out.json" && fail "register returned password_hash"
  status=$(request POST /api/v1/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}")
  [ "$status" = 200 ] || [ "$status" = 201 ] || fail "login answered $status: $(cat "$work/out.json")"
  token=$(json "$work/out.json" "d.access_token")
  [ -n "$token" ] || fail "login returned no access_token"
  status=$(request GET /api/v1/users/me "" "$token")
  [ "$status" = 200 ] || fail "GET /users/me answered $status: $(cat "$work/out.json")"
  [ "$(json "$work/out.json" "d.email")" = "$email" ] || fail "GET /users/me returned another account"
  status=$(request GET /api/v1/users/me)
  [ "$status" = 401 ] || fail "GET /users/me without a token answered $status, expected 401"
  echo "smoke: register -> login -> GET /api/v1/users/me OK (401 without a token)"
else
  echo "smoke: the identity endpoints are not in the document yet: register/login/me skipped"
fi

stop_app || fail "graceful stop"
[ -e "$work/data/pg/postgres.lock" ] && fail "the embedded database lock file survived a graceful stop"
start_app "restart on the same DATA_DIR"
if [ "$identity" = yes ]; then
  status=$(request POST /api/v1/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}")
  [ "$status" = 200 ] || [ "$status" = 201 ] || fail "login after restart answered $status (data not kept?)"
  echo "smoke: login after restart OK (data kept)"
fi
stop_app || fail "graceful stop"
echo "smoke: OK"
