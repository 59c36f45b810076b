#!/usr/bin/env bash
# Local services for development and tests: a private PostgreSQL 15 cluster with
# pgvector and Azurite, both under the git-ignored .local/ folder.
#
#   infra/local/dev.sh run     install, start services, migrate, seed demo data, run the app on :${LIKENESS_PORT:-7071}
#   infra/local/dev.sh test    install, start services, run every test
#   infra/local/dev.sh up      install and start the services only
#   infra/local/dev.sh down    stop the services
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT="${LIKENESS_PG_PORT:-54329}"
PG_DATA="$LOCAL/postgres/data"
PG_SOCKET="$LOCAL/postgres/socket"
PG_LOG="$LOCAL/postgres/server.log"
AZURITE_DIR="$LOCAL/azurite"
AZURITE_BIN="$LOCAL/node_modules/.bin/azurite"
AZURITE_VERSION=3.37.0
APP_PORT="${LIKENESS_PORT:-7071}"

export ConnectionStrings__Likeness="${ConnectionStrings__Likeness:-Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=likeness}"
export MediaStorage__ConnectionString="${MediaStorage__ConnectionString:-UseDevelopmentStorage=true}"

log() { printf '[dev] %s\n' "$*" >&2; }

sudo_if_root() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_pgvector() {
  [ -f /usr/share/postgresql/15/extension/vector.control ] && return
  apt_install postgresql-15 postgresql-server-dev-15 dpkg-dev make gcc
  # Bookworm has no pgvector for PostgreSQL 15; trixie's source package builds against it.
  # A private sources list keeps the machine's apt configuration untouched.
  local work; work="$(mktemp -d)"
  chmod 755 "$work"  # apt downloads as the _apt user
  mkdir -p "$work/lists/partial"
  echo "deb-src http://deb.debian.org/debian trixie main" >"$work/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
                  -o "Dir::State::Lists=$work/lists")
  log "building pgvector from Debian trixie's source package"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
  (cd "$work" && dpkg-source -x --no-check pgvector_*.dsc src >/dev/null)
  make -s -C "$work/src" PG_CONFIG="$PG_BIN/pg_config" >/dev/null
  make -s -C "$work/src" PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
  rm -rf "$work"
}

install_azurite() {
  [ -x "$AZURITE_BIN" ] && return
  log "installing azurite $AZURITE_VERSION from npm"
  mkdir -p "$LOCAL"
  npm install --silent --no-audit --no-fund --prefix "$LOCAL" "azurite@$AZURITE_VERSION" >/dev/null
}

install_all() {
  command -v dotnet >/dev/null || { log "the .NET 10 SDK is required"; exit 1; }
  command -v npm >/dev/null || apt_install nodejs npm
  install_pgvector
  install_azurite
}

start_postgres() {
  mkdir -p "$LOCAL/postgres" "$PG_SOCKET"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$LOCAL/postgres"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "creating the private PostgreSQL cluster in $PG_DATA"
    sudo_if_root "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if sudo_if_root "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then return; fi
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  sudo_if_root "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
    -o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB" >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'likeness'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE likeness"
}

azurite_listening() { (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; }

start_azurite() {
  azurite_listening && return
  mkdir -p "$AZURITE_DIR"
  log "starting Azurite on 127.0.0.1:10000-10002"
  # --disableTelemetry: otherwise Azurite tries to reach an ingestion endpoint.
  nohup "$AZURITE_BIN" --silent --disableTelemetry --skipApiVersionCheck --location "$AZURITE_DIR" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >"$AZURITE_DIR/azurite.log" 2>&1 &
  echo $! >"$AZURITE_DIR/azurite.pid"
  for _ in $(seq 1 60); do azurite_listening && return; sleep 0.5; done
  log "Azurite did not start; see $AZURITE_DIR/azurite.log"; exit 1
}

up() {
  install_all
  start_postgres
  start_azurite
}

down() {
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    sudo_if_root "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ -f "$AZURITE_DIR/azurite.pid" ]; then
    kill "$(cat "$AZURITE_DIR/azurite.pid")" 2>/dev/null || true
    rm -f "$AZURITE_DIR/azurite.pid"
  fi
  log "services stopped"
}

run_app() {
  up
  cd "$ROOT"
  dotnet build tools/LikenessOps -c Release -v quiet -nologo
  dotnet tools/LikenessOps/bin/Release/net10.0/LikenessOps.dll migrate
  dotnet tools/LikenessOps/bin/Release/net10.0/LikenessOps.dll seed --accounts "${SEED_ACCOUNTS:-300}" --if-empty
  # The settings a developer edits; the environment (the connection strings above) still wins.
  [ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
  if command -v func >/dev/null; then
    cp local.settings.json functions/LikenessFunctions/local.settings.json
    log "app on http://127.0.0.1:$APP_PORT under Azure Functions Core Tools (Ctrl+C to stop)"
    cd functions/LikenessFunctions && exec func start --port "$APP_PORT"
  fi
  dotnet build functions/LikenessFunctions -c Release -v quiet -nologo
  dotnet build tools/LocalFunctionsHost -c Release -v quiet -nologo
  log "app on http://127.0.0.1:$APP_PORT under the local Functions host (Ctrl+C to stop)"
  exec dotnet tools/LocalFunctionsHost/bin/Release/net10.0/LocalFunctionsHost.dll \
    --script-root functions/LikenessFunctions/bin/Release/net10.0 --port "$APP_PORT"
}

run_tests() {
  up
  local log="$LOCAL/test-output.log" status=0
  dotnet test "$ROOT/LikenessFunctions.sln" -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?
  # One closing line over all test projects, in the plain "N passed, N failed" form.
  awk '/^(Passed|Failed)! / { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  return "$status"
}

case "${1:-}" in
  run) run_app ;;
  test) shift; run_tests "$@" ;;
  up) up ;;
  down) down ;;
  *) echo "usage: $0 run|test|up|down" >&2; exit 2 ;;
esac
