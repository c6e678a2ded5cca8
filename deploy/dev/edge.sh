#!/usr/bin/env bash
# Debian's Varnish and nginx (the edge of deploy/varnish/default.vcl and the TLS front of
# deploy/nginx/govsites.conf) for the edge and deploy smoke tests and `make bench`.
# The packaged services are not used: tests and the bench run their own on free ports.
set -euo pipefail
packages=()
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || packages+=(varnish)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx)
command -v openssl >/dev/null || packages+=(openssl)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[edge] installing Debian's ${packages[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "[edge] missing: ${packages[*]} — install Debian's packages (apt-get install ${packages[*]})" >&2
  exit 1
fi
