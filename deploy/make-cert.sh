#!/usr/bin/env bash
# A self-signed certificate for the balancer: deploy/make-cert.sh DIR [HOSTNAME]
# For a test or an intranet without a CA. A district with a certificate from its CA puts that in DIR instead.
set -euo pipefail
dir=${1:?usage: make-cert.sh DIR [HOSTNAME]}
host=${2:-localhost}
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$host" \
    -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 600 "$dir/key.pem"
echo "$dir/cert.pem"
