#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on this machine for `make run` / `make test`,
# then write var/services.env with the connection settings to use.
#
# 1. A PostgreSQL already answering at $PGHOST:$PGPORT (default 127.0.0.1:5432) as $PGUSER
#    (default postgres) without a password is used as it is.
# 2. Otherwise, as root on Debian: install the `postgresql` package, start its cluster and
#    allow password-less connections from 127.0.0.1 (a development machine only).
# 3. Otherwise: initdb a private cluster under var/pgdata on port 5433 (needs initdb on PATH).
# Redis: used if it answers on 127.0.0.1:6379; otherwise started (or installed as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p var
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
say() { echo "[services] $*" >&2; }

pg_answers() { PGCONNECT_TIMEOUT=3 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

have() { command -v "$1" >/dev/null 2>&1; }

if ! have psql && [ "$(id -u)" = 0 ] && have apt-get; then
  say "installing the PostgreSQL client"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
fi

if pg_answers; then
  say "PostgreSQL answers at $PGHOST:$PGPORT"
elif [ "$(id -u)" = 0 ] && have apt-get; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing Debian's postgresql package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q "govsites-dev" "$hba"; then
    say "allowing password-less connections from 127.0.0.1 in $hba (development machine)"
    sed -i '1i host all all 127.0.0.1/32 trust # govsites-dev\nhost all all ::1/128 trust # govsites-dev' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  PGPORT=$(pg_conftool -s "$version" main show port 2>/dev/null || echo 5432)
  for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
  pg_answers || { say "PostgreSQL did not start"; exit 1; }
else
  have initdb || { say "no PostgreSQL answers and initdb is not on PATH: install PostgreSQL 15+ and retry"; exit 1; }
  PGPORT=5433
  data=var/pgdata
  if [ ! -d "$data" ]; then
    say "creating a private PostgreSQL cluster in $data (port $PGPORT)"
    initdb -D "$data" -U "$PGUSER" --auth=trust -E UTF8 >/dev/null
  fi
  pg_ctl -D "$data" -o "-p $PGPORT -k $(pwd)/var -c listen_addresses=127.0.0.1" -l var/postgres.log status >/dev/null 2>&1 \
    || pg_ctl -D "$data" -o "-p $PGPORT -k $(pwd)/var -c listen_addresses=127.0.0.1" -l var/postgres.log -w start >/dev/null
  pg_answers || { say "private PostgreSQL did not start; see var/postgres.log"; exit 1; }
fi

redis_answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ $line == +PONG* ]]) 2>/dev/null; }
if ! redis_answers; then
  if ! have redis-server && [ "$(id -u)" = 0 ] && have apt-get; then
    say "installing Debian's redis-server package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  have redis-server || { say "Redis is not running and cannot be installed"; exit 1; }
  say "starting Redis on 127.0.0.1:6379 (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$(pwd)/var" --logfile "$(pwd)/var/redis.log"
  for _ in $(seq 1 20); do redis_answers && break; sleep 0.5; done
  redis_answers || { say "Redis did not start; see var/redis.log"; exit 1; }
fi

cat > var/services.env <<ENV
export PGHOST=$PGHOST
export PGPORT=$PGPORT
export PGUSER=$PGUSER
ENV
say "wrote var/services.env"
