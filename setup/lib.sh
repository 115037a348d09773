# Shared provisioning for setup/run and setup/test.  Source it, then call
# hc_provision.  Everything it creates lives under $HC_LOCAL (ignored by git).
#
# Variables read (all optional):
#   PYTHON          the Python interpreter to use (default: python3)
#   HC_ODOO_RC      an existing odoo.conf to use instead of the generated one
#                   (./odoo.conf is used when present)
#   HC_ODOO_SRC     where to clone Odoo 18.0 when it is not importable
#   PGHOST, PGPORT, PGUSER, PGPASSWORD
#                   an existing PostgreSQL server; without them (and without
#                   db_host in the configuration) a project-local cluster is
#                   started on 127.0.0.1
#   HC_HTTP_PORT    the port Odoo serves on (default 8069)
# shellcheck shell=bash

set -euo pipefail

HC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HC_LOCAL="$HC_ROOT/.local"
PYTHON="${PYTHON:-python3}"
HC_ADDONS=(healthcare_billing_core payer_contracts charge_capture_api)
HC_ODOO_UPSTREAM="https://github.com/odoo/odoo.git"
HC_STARTED_CLUSTER=""

hc_log() { printf '[setup] %s\n' "$*" >&2; }
hc_die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

hc_addons_csv() { local IFS=,; echo "${HC_ADDONS[*]}"; }

hc_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# --- system packages -------------------------------------------------------
hc_apt_install() {
    command -v apt-get >/dev/null || return 1
    hc_log "installing Debian packages: $*"
    hc_as_root apt-get update -qq >/dev/null || true
    hc_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

hc_ensure_system() {
    command -v "$PYTHON" >/dev/null || hc_die "$PYTHON not found: install Python 3.11 or set PYTHON"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || hc_die "Python >= 3.10 is required (found $("$PYTHON" --version))"
    "$PYTHON" -m pip --version >/dev/null 2>&1 || hc_die "pip is missing for $PYTHON"
    local missing=()
    command -v git >/dev/null || missing+=(git)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    command -v psql >/dev/null || missing+=(postgresql-client)
    if [ -z "$(hc_pg_bindir)" ] && [ -z "${PGHOST:-}" ]; then missing+=(postgresql); fi
    if [ "${#missing[@]}" -gt 0 ]; then
        hc_apt_install "${missing[@]}" || hc_die "missing system packages: ${missing[*]} (install them and re-run)"
    fi
}

# --- Python packages and Odoo ----------------------------------------------
hc_pip() { "$PYTHON" -m pip install --disable-pip-version-check -q "$@"; }

hc_odoo_version() {
    "$PYTHON" -c 'import odoo.release as r; print("%d.%d" % r.version_info[:2])' 2>/dev/null || true
}

hc_ensure_odoo() {
    local version
    version="$(hc_odoo_version)"
    if [ "$version" = "18.0" ]; then
        return 0
    elif [ -n "$version" ]; then
        hc_die "Odoo $version is importable by $PYTHON; this project needs 18.0 (use another PYTHON or virtualenv)"
    fi
    local src="${HC_ODOO_SRC:-$HC_LOCAL/odoo}"
    if [ ! -f "$src/odoo/release.py" ]; then
        hc_log "Odoo 18.0 is not importable: cloning it from $HC_ODOO_UPSTREAM into $src"
        git clone --depth 1 --branch 18.0 "$HC_ODOO_UPSTREAM" "$src" \
            || hc_die "could not clone Odoo 18.0; install it yourself and re-run"
    fi
    hc_log "installing Odoo 18.0 and its requirements from $src"
    "$PYTHON" "$HC_ROOT/setup/odoo_requirements.py" "$src/requirements.txt" > "$HC_LOCAL/odoo-requirements.txt"
    hc_pip -r "$HC_LOCAL/odoo-requirements.txt"
    hc_pip --no-deps -e "$src"
    [ "$(hc_odoo_version)" = "18.0" ] || hc_die "Odoo 18.0 is still not importable after installing it"
}

hc_ensure_python_packages() {
    local stamp="$HC_LOCAL/requirements.stamp" sum
    sum="$(cat "$HC_ROOT/requirements.txt" "$HC_ROOT/test-requirements.txt" | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] \
        && "$PYTHON" -c 'import pytest_odoo, checklog_odoo, cryptography, zeep' 2>/dev/null; then
        return 0
    fi
    hc_log "installing Python requirements"
    hc_pip -r "$HC_ROOT/requirements.txt" -r "$HC_ROOT/test-requirements.txt"
    echo "$sum" > "$stamp"
}

# --- PostgreSQL ------------------------------------------------------------
hc_pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
        "$(pg_config --bindir 2>/dev/null || true)"; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
    return 0
}

hc_conf_get() {  # hc_conf_get FILE KEY: print an option of an odoo.conf
    "$PYTHON" - "$1" "$2" <<'PY'
import configparser, sys
parser = configparser.ConfigParser(interpolation=None)
parser.read(sys.argv[1])
value = parser.get("options", sys.argv[2], fallback="")
print("" if value in ("False", "None") else value)
PY
}

hc_free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Run a command as the owner of the local cluster (postgres when we are root).
hc_pg_run() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

hc_local_cluster() {
    local bindir data="$HC_LOCAL/postgres/data" port
    bindir="$(hc_pg_bindir)"
    [ -n "$bindir" ] || hc_die "PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql or set PGHOST"
    mkdir -p "$HC_LOCAL/postgres/socket"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$HC_LOCAL/postgres" postgres
        chown -R postgres "$HC_LOCAL/postgres"
        runuser -u postgres -- test -w "$HC_LOCAL/postgres" \
            || hc_die "the postgres user cannot write $HC_LOCAL/postgres (check the permissions of its parent folders)"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        hc_log "creating a project-local PostgreSQL cluster in $data"
        hc_pg_run "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if [ -f "$HC_LOCAL/postgres/port" ]; then port="$(cat "$HC_LOCAL/postgres/port")"; fi
    if ! hc_pg_run "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        if [ -z "${port:-}" ] || ! "$PYTHON" -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', $port))" 2>/dev/null; then
            port="$(hc_free_port)"
        fi
        echo "$port" > "$HC_LOCAL/postgres/port"
        hc_log "starting PostgreSQL on 127.0.0.1:$port"
        hc_pg_run "$bindir/pg_ctl" -D "$data" -l "$HC_LOCAL/postgres/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $HC_LOCAL/postgres/socket" start >/dev/null \
            || hc_die "PostgreSQL did not start: see $HC_LOCAL/postgres/server.log"
        HC_STARTED_CLUSTER="$data"
    fi
    export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=odoo
    unset PGPASSWORD
    if ! psql -U postgres -d postgres -Atqc "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1; then
        psql -U postgres -d postgres -qc "CREATE ROLE odoo LOGIN CREATEDB" >/dev/null
    fi
}

hc_stop_local_cluster() {
    if [ -n "$HC_STARTED_CLUSTER" ]; then
        hc_log "stopping the project-local PostgreSQL cluster"
        hc_pg_run "$(hc_pg_bindir)/pg_ctl" -D "$HC_STARTED_CLUSTER" -m fast -w stop >/dev/null || true
        HC_STARTED_CLUSTER=""
    fi
}

hc_ensure_postgres() {
    if [ "$HC_ODOO_RC" != "$HC_LOCAL/odoo.conf" ] && [ -n "$(hc_conf_get "$HC_ODOO_RC" db_host)" ]; then
        export PGHOST="$(hc_conf_get "$HC_ODOO_RC" db_host)"
        export PGPORT="$(hc_conf_get "$HC_ODOO_RC" db_port)"
        export PGUSER="$(hc_conf_get "$HC_ODOO_RC" db_user)"
        local password
        password="$(hc_conf_get "$HC_ODOO_RC" db_password)"
        [ -z "$password" ] || export PGPASSWORD="$password"
    elif [ -z "${PGHOST:-}" ]; then
        hc_local_cluster
    fi
    psql -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1 \
        || hc_die "cannot connect to PostgreSQL at ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$USER}"
}

# --- odoo.conf ---------------------------------------------------------------
hc_odoo_addons_path() {
    "$PYTHON" - "$HC_ROOT/addons" <<'PY'
import os, sys
import odoo
root = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [p for p in (os.path.join(os.path.dirname(root), "addons"), os.path.join(root, "addons"))
         if os.path.isdir(os.path.join(p, "account"))]
print(",".join(paths + [sys.argv[1]]))
PY
}

# The key that encrypts API client secrets: read from the configuration file or
# the environment, never from the database.  The local default is generated once.
hc_secret_key() {
    local file="$HC_LOCAL/hc_secret_key"
    if [ ! -s "$file" ]; then
        "$PYTHON" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' > "$file"
        chmod 600 "$file"
    fi
    cat "$file"
}

# The database master password (odoo.conf admin_passwd) of the local default:
# random, generated once, independent of the key above.
hc_master_password() {
    local file="$HC_LOCAL/master_password"
    if [ ! -s "$file" ]; then
        (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$file")
    fi
    chmod 600 "$file"
    cat "$file"
}

hc_write_config() {
    if [ -z "${HC_ODOO_RC:-}" ] && [ -f "$HC_ROOT/odoo.conf" ]; then
        HC_ODOO_RC="$HC_ROOT/odoo.conf"
    fi
    if [ -n "${HC_ODOO_RC:-}" ]; then
        hc_log "using the configuration $HC_ODOO_RC"
        export HC_ODOO_RC
        return 0
    fi
    HC_ODOO_RC="$HC_LOCAL/odoo.conf"
    export HC_ODOO_RC
}

hc_write_local_config() {
    [ "$HC_ODOO_RC" = "$HC_LOCAL/odoo.conf" ] || return 0
    mkdir -p "$HC_LOCAL/data" "$HC_LOCAL/logs"
    cat > "$HC_ODOO_RC" <<CONF
; Generated by setup/ for the local default; copy odoo.conf.example to
; ./odoo.conf to use your own settings instead.
[options]
addons_path = $(hc_odoo_addons_path)
data_dir = $HC_LOCAL/data
db_host = ${PGHOST:-}
db_port = ${PGPORT:-}
db_user = ${PGUSER:-}
db_password = ${PGPASSWORD:-False}
http_interface = 127.0.0.1
http_port = ${HC_HTTP_PORT:-8069}
admin_passwd = $(hc_master_password)
hc_secret_key = $(hc_secret_key)
CONF
}

hc_provision() {
    mkdir -p "$HC_LOCAL"
    hc_ensure_system
    hc_ensure_odoo
    hc_ensure_python_packages
    hc_write_config
    hc_ensure_postgres
    hc_write_local_config
}

# Run odoo-bin with the configuration and the database the provisioning chose.
hc_odoo() {
    local args=(-c "$HC_ODOO_RC")
    [ -z "${PGHOST:-}" ] || args+=(--db_host "$PGHOST")
    [ -z "${PGPORT:-}" ] || args+=(--db_port "$PGPORT")
    [ -z "${PGUSER:-}" ] || args+=(--db_user "$PGUSER")
    "$PYTHON" -m odoo "${args[@]}" "$@"
}

hc_db_exists() {
    psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}
