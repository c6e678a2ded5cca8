#!/usr/bin/env bash
# The load generator of `make bench`: Debian's wrk (drives gunicorn from a second process on 127.0.0.1).
set -euo pipefail
command -v wrk >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[bench] installing Debian's wrk" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "[bench] wrk is missing: install Debian's wrk package (apt-get install wrk)" >&2
  exit 1
fi
