"""Write the nginx configuration for N dashboard replicas: `python deploy/nginx_conf.py --help`.

Standard library only, so it runs before the project's environment exists. What the file does:
- sticky sessions without nginx Plus: a browser's first response sets the cookie `twomountains_route` to
  a random key, and `hash $route_key consistent` sends every later request of that browser (websocket,
  file uploads, media, downloads: Streamlit keeps all of them in the memory of one process) to the same
  replica; when that replica is down, nginx moves the key to the next one;
- websocket upgrade, with a day's idle timeout (a forum screen stays open all day);
- TLS (HTTP is redirected), X-Frame-Options and CSP frame-ancestors (no framing by other sites),
  /_stcore/metrics closed, and X-Twomountains-Replica naming the replica that answered (for the operator
  and the tests; remove it if internal addresses must not show).
"""
from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = """# Written by deploy/nginx_conf.py: {replicas} dashboard replicas behind one TLS address.
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
{user_line}
events {{ worker_connections 1024; }}

http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 25m;           # the upload page takes files of up to 20 MB
    # Request bodies go straight to the replica, never into a temporary file (the workers may not be
    # allowed to write into the run folder when nginx is started by root).
    client_body_buffer_size 1m;
    proxy_request_buffering off;
    server_tokens off;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # Sticky sessions: the browser's route key, or a new random one on its first request.
    map $cookie_twomountains_route $route_key {{
        ""      $request_id;
        default $cookie_twomountains_route;
    }}
    map $cookie_twomountains_route $route_cookie {{
        ""      "twomountains_route=$request_id; Path=/; HttpOnly; Secure; SameSite=Lax";
        default "";
    }}

    upstream twomountains {{
        hash $route_key consistent;
{servers}
    }}

    server {{
        listen {listen_host}:{http_port};
        return 301 https://$host:{https_port}$request_uri;
    }}

    server {{
        listen {listen_host}:{https_port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;

        add_header Set-Cookie $route_cookie always;
        add_header X-Frame-Options SAMEORIGIN always;
        add_header Content-Security-Policy "frame-ancestors 'self'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header X-Twomountains-Replica $upstream_addr always;

        location = /_stcore/metrics {{ return 404; }}

        location / {{
            proxy_pass http://twomountains;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 86400s;
            proxy_send_timeout 86400s;
            proxy_buffering off;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502;
        }}
    }}
}}
"""


def render(upstreams: list[str], https_port: int, http_port: int, cert: str, key: str, run: str,
           listen_host: str = "0.0.0.0", user: str | None = None) -> str:
    servers = "\n".join(f"        server {address} max_fails=1 fail_timeout=10s;" for address in upstreams)
    return TEMPLATE.format(replicas=len(upstreams), servers=servers, https_port=https_port, http_port=http_port,
                           cert=cert, key=key, run=run, listen_host=listen_host,
                           user_line=f"user {user};" if user else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", action="append", required=True, help="host:port of a replica (repeat)")
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--listen", default="0.0.0.0", help="address to listen on")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--run", required=True, help="folder for nginx's pid, logs and temporary files")
    parser.add_argument("--user", help="user nginx's workers run as when started by root (e.g. www-data)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    Path(args.run).mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(render(args.upstream, args.https_port, args.http_port, args.cert, args.key,
                                     str(Path(args.run).resolve()), args.listen, args.user), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
