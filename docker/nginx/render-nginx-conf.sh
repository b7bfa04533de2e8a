#!/usr/bin/env bash
# Renders the nginx configuration of the studio:
#   render-nginx-conf.sh <template> <run dir> <http port> <backend port>   > nginx.conf
# <run dir> gets nginx's pid file and temp folders (created here). The entrypoint and the tests use it.
# Requests are logged to <run dir>/access.log (the entrypoint makes it a FIFO it copies to stdout).
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: render-nginx-conf.sh <template> <run dir> <http port> <backend port>" >&2; exit 2; }
template="$1" run_dir="$2" http_port="$3" backend_port="$4"
for port in "$http_port" "$backend_port"; do
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
    || { echo "render-nginx-conf.sh: \"$port\" is not a port number (1-65535)" >&2; exit 2; }
done
[ "$http_port" != "$backend_port" ] || { echo "render-nginx-conf.sh: nginx and the backend cannot both use port $http_port" >&2; exit 2; }
mkdir -p "$run_dir"/{client_body,proxy,fastcgi,uwsgi,scgi}
sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@HTTP_PORT@|$http_port|g" -e "s|@BACKEND_PORT@|$backend_port|g" "$template"
