#!/usr/bin/env bash
# N dashboard replicas on one machine, ports BASE..BASE+N-1 on loopback (nginx in front: deploy/nginx.sh).
#   deploy/replicas.sh start N BASE_PORT    (reads deploy/env, see env.example)
#   deploy/replicas.sh stop
# Run it on each machine of the deployment; every replica reads and writes the same lake.
set -euo pipefail
cd "$(dirname "$0")/.."
run=deploy/run
mkdir -p "$run"
case "${1:-}" in
start)
    n=${2:?N}; base=${3:?BASE_PORT}
    set -a; . deploy/env; set +a
    for i in $(seq 0 $((n - 1))); do
        port=$((base + i))
        # python -m twomountains.serve, as make run starts it (docs/architecture.md, Starting the server)
        nohup .venv/bin/python -m twomountains.serve --server.port "$port" --server.address 127.0.0.1 \
            --server.headless true >"$run/replica-$port.log" 2>&1 &
        echo $! >"$run/replica-$port.pid"
    done
    for i in $(seq 0 $((n - 1))); do
        port=$((base + i))
        for _ in $(seq 60); do
            .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2)" 2>/dev/null && break
            sleep 1
        done
        echo "replica on 127.0.0.1:$port (pid $(cat "$run/replica-$port.pid"))"
    done ;;
stop)
    for pidfile in "$run"/replica-*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true   # SIGTERM: Streamlit ends its sessions and exits
        rm -f "$pidfile"
    done ;;
*) echo "usage: $0 start N BASE_PORT | stop" >&2; exit 2 ;;
esac
