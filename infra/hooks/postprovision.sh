#!/bin/sh
# azd postprovision hook: gives the function app's managed identity its PostgreSQL role.
#
# The identity is not a PostgreSQL administrator. This script, run by azd after `azd provision`
# as the deployer (the server's Entra administrator, see infra/main.bicep), signs in with the
# deployer's Entra token and
#   1. maps the identity to a role of its own name (pgaadauth_create_principal_with_oid, not admin);
#   2. runs infra/hooks/postgres-app-role.sql in the app's database: creates the vector extension
#      and grants the role CONNECT and USAGE + CREATE on the public schema, nothing more (the app
#      creates, and so owns, its tables when it migrates at start-up).
# The server accepts no public connection (no firewall rule; the app uses the private endpoint),
# so the script opens a rule for this machine's public address while it runs and removes it on
# exit, failure included. Safe to run again: `azd hooks run postprovision`.
#
# Reads the azd environment's outputs (azd exports them to hooks): AZURE_RESOURCE_GROUP,
# AZURE_POSTGRES_SERVER_NAME, AZURE_POSTGRES_HOST, AZURE_POSTGRES_DATABASE,
# AZURE_POSTGRES_ADMIN_NAME, AZURE_MANAGED_IDENTITY_NAME, AZURE_MANAGED_IDENTITY_PRINCIPAL_ID.
# Optional: POSTGRES_ADMIN_USER (sign in as another administrator than the one azd made),
# POSTGRES_CLIENT_IP (this machine's public IPv4 address, instead of asking api.ipify.org).
# Needs the Azure CLI (signed in as that administrator), psql and, without POSTGRES_CLIENT_IP, curl.
# The token is passed to psql in PGPASSWORD only and never printed.
set -eu

HOOKS_DIR=$(cd "$(dirname "$0")" && pwd)
FIREWALL_RULE=azd-postprovision
CONNECT_ATTEMPTS=12
CONNECT_WAIT_SECONDS=10

log() { printf '[postprovision] %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

need_command() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is required: $2"
}

need_setting() {
  eval "value=\${$1:-}"
  [ -n "$value" ] || fail "$1 is not set: run this as azd's postprovision hook, or export the values of 'azd env get-values'."
}

need_command az "install the Azure CLI and sign in (az login) as the PostgreSQL administrator"
need_command psql "install the PostgreSQL client (Debian: postgresql-client, macOS: brew install libpq)"
for setting in AZURE_RESOURCE_GROUP AZURE_POSTGRES_SERVER_NAME AZURE_POSTGRES_HOST AZURE_POSTGRES_DATABASE \
  AZURE_MANAGED_IDENTITY_NAME AZURE_MANAGED_IDENTITY_PRINCIPAL_ID; do
  need_setting "$setting"
done

ADMIN_USER=${POSTGRES_ADMIN_USER:-${AZURE_POSTGRES_ADMIN_NAME:-}}
[ -n "$ADMIN_USER" ] || fail "The server has no Entra administrator to sign in as. A service principal that runs azd sets AZURE_POSTGRES_ADMIN_SP_NAME (its display name) before 'azd provision'; or set POSTGRES_ADMIN_USER to an administrator's name."
APP_ROLE=$AZURE_MANAGED_IDENTITY_NAME
APP_OBJECT_ID=$AZURE_MANAGED_IDENTITY_PRINCIPAL_ID

# The public address this machine's connections come from, for the temporary firewall rule.
CLIENT_IP=${POSTGRES_CLIENT_IP:-}
if [ -z "$CLIENT_IP" ]; then
  need_command curl "or set POSTGRES_CLIENT_IP to this machine's public IPv4 address"
  CLIENT_IP=$(curl -fsS --max-time 15 https://api.ipify.org) \
    || fail "Could not learn this machine's public address; set POSTGRES_CLIENT_IP."
fi
case $CLIENT_IP in
  '' | *[!0-9.]*) fail "Not an IPv4 address: '$CLIENT_IP' (set POSTGRES_CLIENT_IP)." ;;
esac

remove_firewall_rule() {
  if ! az postgres flexible-server firewall-rule delete --resource-group "$AZURE_RESOURCE_GROUP" \
      --name "$AZURE_POSTGRES_SERVER_NAME" --rule-name "$FIREWALL_RULE" --yes --output none 2>/dev/null; then
    log "Could not remove the firewall rule $FIREWALL_RULE; remove it yourself:"
    log "  az postgres flexible-server firewall-rule delete -g $AZURE_RESOURCE_GROUP --name $AZURE_POSTGRES_SERVER_NAME --rule-name $FIREWALL_RULE --yes"
  fi
}

log "Allowing $CLIENT_IP on $AZURE_POSTGRES_SERVER_NAME while this runs (firewall rule $FIREWALL_RULE)"
trap remove_firewall_rule EXIT
# An interrupted run exits through the EXIT trap, so the rule is removed then too.
trap 'exit 130' INT TERM
az postgres flexible-server firewall-rule create --resource-group "$AZURE_RESOURCE_GROUP" \
  --name "$AZURE_POSTGRES_SERVER_NAME" --rule-name "$FIREWALL_RULE" \
  --start-ip-address "$CLIENT_IP" --end-ip-address "$CLIENT_IP" --output none

PGPASSWORD=$(az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv) \
  || fail "Could not get an Entra token for PostgreSQL: sign in with 'az login' as $ADMIN_USER."
export PGPASSWORD
# Azure requires TLS; PGSSLMODE from the environment wins only so that the tests can point this at
# a local server without TLS.
PGSSLMODE=${PGSSLMODE:-require}
PGCONNECT_TIMEOUT=15
export PGSSLMODE PGCONNECT_TIMEOUT

# psql in DATABASE as the administrator, script on stdin; the role's name and object id are psql
# variables (quoted by psql as :'name' / :"name"), never spliced into SQL text.
run_psql() {
  database=$1
  shift
  psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 \
    --host "$AZURE_POSTGRES_HOST" --username "$ADMIN_USER" --dbname "$database" \
    --set app_role="$APP_ROLE" --set app_object_id="$APP_OBJECT_ID" --set database="$AZURE_POSTGRES_DATABASE" "$@"
}

# A new firewall rule takes a moment to apply.
attempt=1
until run_psql postgres --command 'SELECT 1' >/dev/null 2>&1; do
  [ "$attempt" -lt "$CONNECT_ATTEMPTS" ] \
    || fail "Could not connect to $AZURE_POSTGRES_HOST as $ADMIN_USER after $CONNECT_ATTEMPTS attempts: $(run_psql postgres --command 'SELECT 1' 2>&1 | head -n 1)"
  log "Waiting for the server to accept this address ($attempt/$CONNECT_ATTEMPTS)"
  attempt=$((attempt + 1))
  sleep "$CONNECT_WAIT_SECONDS"
done

# Roles are per server; Entra principals are created from the postgres database, where pgaadauth lives.
state=$(run_psql postgres <<'SQL'
SELECT CASE
  WHEN r.oid IS NULL THEN 'missing'
  WHEN pg_has_role(r.oid, 'azure_pg_admin', 'MEMBER') THEN 'administrator'
  ELSE 'present' END
FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = :'app_role';
SQL
)
case $state in
  missing)
    log "Creating role $APP_ROLE for the app's managed identity (not an administrator)"
    run_psql postgres >/dev/null <<'SQL'
SELECT * FROM pgaadauth_create_principal_with_oid(:'app_role', :'app_object_id', 'service', false, false);
SQL
    ;;
  present)
    log "Role $APP_ROLE exists"
    ;;
  administrator)
    # A deployment made before the identity stopped being an administrator: Bicep does not remove
    # an administrator it no longer lists, and only the server's API can.
    fail "Role $APP_ROLE is still a PostgreSQL administrator. Remove the identity from the server's Microsoft Entra administrators (portal: the server's Authentication page, or 'az postgres flexible-server microsoft-entra-admin delete -g $AZURE_RESOURCE_GROUP -s $AZURE_POSTGRES_SERVER_NAME -i $APP_OBJECT_ID'), then run 'azd hooks run postprovision' again."
    ;;
  *)
    fail "Unexpected answer about role $APP_ROLE: $state"
    ;;
esac

log "Granting $APP_ROLE what the app needs in database $AZURE_POSTGRES_DATABASE"
run_psql "$AZURE_POSTGRES_DATABASE" --file "$HOOKS_DIR/postgres-app-role.sql" >/dev/null
log "Done: the app connects as $APP_ROLE, which owns only the objects its migrations create"
