#!/usr/bin/env bash
# Debian's nginx in front of the replicas, with TLS, sticky sessions and websocket upgrade.
#   deploy/nginx.sh start HTTPS_PORT HTTP_PORT UPSTREAM... (e.g. 443 80 127.0.0.1:8601 127.0.0.1:8602)
#   deploy/nginx.sh stop
# The certificate is deploy/run/tls/{cert,key}.pem: made self-signed by deploy/make-cert.sh if missing;
# put the district's own there instead. The configuration is written by deploy/nginx_conf.py.
set -euo pipefail
cd "$(dirname "$0")/.."
run=$PWD/deploy/run
mkdir -p "$run"
case "${1:-}" in
start)
    https=${2:?HTTPS_PORT}; http=${3:?HTTP_PORT}; shift 3
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }
    [ -f "$run/tls/cert.pem" ] || deploy/make-cert.sh "$run/tls" "$(hostname -f 2>/dev/null || hostname)"
    upstreams=(); for address in "$@"; do upstreams+=(--upstream "$address"); done
    user=(); [ "$(id -u)" = 0 ] && user=(--user www-data)
    python3 deploy/nginx_conf.py "${upstreams[@]}" --https-port "$https" --http-port "$http" \
        --cert "$run/tls/cert.pem" --key "$run/tls/key.pem" --run "$run/nginx" "${user[@]}" --out "$run/nginx.conf"
    /usr/sbin/nginx -t -c "$run/nginx.conf" -p "$run/nginx"
    /usr/sbin/nginx -c "$run/nginx.conf" -p "$run/nginx"
    echo "https://$(hostname -f 2>/dev/null || hostname):$https/" ;;
stop)
    [ -f "$run/nginx/nginx.pid" ] && kill -QUIT "$(cat "$run/nginx/nginx.pid")" || true ;;
*) echo "usage: $0 start HTTPS_PORT HTTP_PORT UPSTREAM... | stop" >&2; exit 2 ;;
esac
