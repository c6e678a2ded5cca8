#!/usr/bin/env bash
# Debian's Varnish (the edge cache of deploy/varnish/default.vcl) for the edge tests and `make bench`.
# The packaged service is not started: tests and the bench run their own varnishd on free ports.
set -euo pipefail
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[edge] installing Debian's varnish" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish >/dev/null
else
  echo "[edge] varnishd is missing: install Debian's varnish package (apt-get install varnish)" >&2
  exit 1
fi
