#!/usr/bin/env bash
# The studio container's entrypoint (PID 1 is tini, which hands signals to this script alone).
#
# Start, in order:
#   1. the replica store: a GCS bucket mounted with gcsfuse when one is configured and FUSE is
#      available, else the bucket through the GCS API, else a folder on the local volume (logged);
#   2. the Theia backend, whose workspace core restores the databases and the workspace files from
#      the replica before it opens them, then starts replication and file sync (/health answers 503
#      "starting" until then);
#   3. nginx in front of it, once the backend listens: the IDE at /theia/, /health at the root.
# On SIGTERM (or SIGINT):
#   1. nginx stops accepting work (graceful quit, open connections get a few seconds);
#   2. the backend gets SIGTERM: agents checkpoint their tasks, a final file sync and a final
#      replication sync run (STUDIO_SHUTDOWN_TIMEOUT_MS bounds them), the databases close;
#   3. a bucket this script mounted is unmounted; exit 0 if the studio stopped cleanly.
# If the backend or nginx dies on its own, the other is stopped the same way and the exit code is
# non-zero, so the orchestrator restarts the container.
#
# Every setting is an environment variable; README.md ("Running the studio in a container") lists them.
set -Eeuo pipefail

log() { printf '[entrypoint] %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

STUDIO_APP="${STUDIO_APP:-/opt/coditect/studio}"
STUDIO_HOME="${STUDIO_HOME:-$HOME}"
# The workspace folder reaches the backend one way only, as its folder argument (Theia opens it and the
# workspace core serves it); STUDIO_WORKSPACE, when set, only chooses it and is not passed on.
workspace_dir="${STUDIO_WORKSPACE:-$STUDIO_HOME/workspace}"
unset STUDIO_WORKSPACE
export STUDIO_DATA_DIR="${STUDIO_DATA_DIR:-$STUDIO_HOME/.coditect/data}"
export THEIA_CONFIG_DIR="${THEIA_CONFIG_DIR:-$STUDIO_HOME/.theia}"
# A pod's disk can be lost with its node: acknowledge what matters only once it is in the replica
# (README, "Durability"). STUDIO_DURABILITY=async trades that for lower latency.
export STUDIO_DURABILITY="${STUDIO_DURABILITY:-ack}"
HTTP_PORT="${STUDIO_HTTP_PORT:-8080}"
BACKEND_PORT="${STUDIO_BACKEND_PORT:-3000}"
RUN_DIR="${STUDIO_RUN_DIR:-/tmp/coditect-run}"
GCS_MOUNT_DIR="${STUDIO_GCS_MOUNT_DIR:-/mnt/replica}"
NGINX_TEMPLATE="${STUDIO_NGINX_TEMPLATE:-/opt/coditect/docker/studio.conf.template}"
NGINX_RENDER="${STUDIO_NGINX_RENDER:-/opt/coditect/docker/render-nginx-conf.sh}"
# Bounds the backend's stop (agents' checkpoint, final file sync, final replication). Keep it below
# the orchestrator's grace period (Kubernetes: terminationGracePeriodSeconds) with room to spare.
export STUDIO_SHUTDOWN_TIMEOUT_MS="${STUDIO_SHUTDOWN_TIMEOUT_MS:-45000}"

backend_pid=""
nginx_pid=""
mounted_bucket=""

# --- 0. folders ----------------------------------------------------------------------------------
# A fresh persistent volume over the home folder hides the image's dot files: bring them back.
if [ -d /etc/skel ] && [ ! -e "$STUDIO_HOME/.bashrc" ]; then
  cp -rn /etc/skel/. "$STUDIO_HOME/" 2>/dev/null || true
fi
mkdir -p "$STUDIO_DATA_DIR" "$THEIA_CONFIG_DIR" "$RUN_DIR" "$(dirname "$workspace_dir")" \
  || die "cannot create the studio's folders under $STUDIO_HOME; the volume must be writable by $(id -un) (uid $(id -u))."

# --- 1. the replica store ------------------------------------------------------------------------
fuse_usable() {
  [ -c /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ] && command -v gcsfuse >/dev/null
}

if [ -n "${STUDIO_REPLICA_URL:-}" ]; then
  log "replica: $STUDIO_REPLICA_URL (STUDIO_REPLICA_URL)"
  if [[ "$STUDIO_REPLICA_URL" == file://* ]]; then
    replica_dir="${STUDIO_REPLICA_URL#file://}"
    mkdir -p "$replica_dir" 2>/dev/null || die "the replica folder $replica_dir cannot be created; mount the bucket or volume there, writable by uid $(id -u)."
    if [[ "$replica_dir" == "$GCS_MOUNT_DIR"* ]] && ! mountpoint -q "$GCS_MOUNT_DIR"; then
      log "warning: $GCS_MOUNT_DIR is not a mount: the replica is on the container's own disk and is lost with it."
    fi
  fi
elif [ -n "${STUDIO_GCS_BUCKET:-}" ]; then
  prefix="${STUDIO_GCS_PREFIX:-studio}"
  if fuse_usable; then
    mkdir -p "$GCS_MOUNT_DIR"
    log "replica: mounting gs://$STUDIO_GCS_BUCKET/$prefix at $GCS_MOUNT_DIR with gcsfuse"
    gcsfuse --implicit-dirs --only-dir "$prefix" ${STUDIO_GCSFUSE_FLAGS:-} "$STUDIO_GCS_BUCKET" "$GCS_MOUNT_DIR" >&2 \
      || die "gcsfuse could not mount gs://$STUDIO_GCS_BUCKET (credentials? bucket name?); see its message above."
    mounted_bucket="$GCS_MOUNT_DIR"
    export STUDIO_REPLICA_URL="file://$GCS_MOUNT_DIR"
  else
    reason="no /dev/fuse in the container"
    [ -c /dev/fuse ] && reason="gcsfuse is not installed (build with INSTALL_GCSFUSE=true)"
    log "replica: gs://$STUDIO_GCS_BUCKET/$prefix through the GCS API ($reason, so no FUSE mount)"
    export STUDIO_REPLICA_URL="gs://$STUDIO_GCS_BUCKET/$prefix"
  fi
else
  log "replica: no bucket configured (STUDIO_GCS_BUCKET or STUDIO_REPLICA_URL): the replica is the folder" \
      "$(dirname "$STUDIO_DATA_DIR")/replica on the local volume, so losing the volume loses the workspace."
fi

# --- sign-in -------------------------------------------------------------------------------------
# Without JWT settings the studio uses one local token and prints a login URL for its own loopback
# address; behind nginx the same token opens /theia/. (Kubernetes: configure JWT, see README.)
if [ -z "${STUDIO_AUTH:-}${STUDIO_AUTH_JWT_SECRET:-}${STUDIO_AUTH_JWT_PUBLIC_KEY_FILE:-}${STUDIO_AUTH_JWKS_URL:-}" ]; then
  log "sign-in: local token ($([ -n "${STUDIO_AUTH_TOKEN:-}" ] && echo 'STUDIO_AUTH_TOKEN' || echo 'generated; the studio prints it below')):" \
      "open http://<this host>:$HTTP_PORT/theia/?token=<token>"
fi

# --- 2. the Theia backend (restore, replication, file sync, agents) ------------------------------
log "starting the studio: workspace $workspace_dir, data $STUDIO_DATA_DIR; the workspace core restores" \
    "the databases and workspace files from the replica before opening them"
node "$STUDIO_APP/browser-app/lib/backend/main.js" "$workspace_dir" \
  --hostname=127.0.0.1 --port="$BACKEND_PORT" &
backend_pid=$!

stop_all() {
  local reason="$1" started=$SECONDS code=0
  trap '' TERM INT
  log "$reason: stopping nginx (no new work), then the studio (agents checkpoint, final file sync, final replication)"
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
  fi
  if kill -0 "$backend_pid" 2>/dev/null; then
    kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" || code=$?
    log "the studio stopped in $((SECONDS - started)) s (exit code $code)"
  fi
  if [ -n "$nginx_pid" ]; then
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [ -n "$mounted_bucket" ]; then
    fusermount3 -u "$mounted_bucket" 2>/dev/null || fusermount -u "$mounted_bucket" 2>/dev/null || log "warning: could not unmount $mounted_bucket"
  fi
  return "$code"
}

on_signal() {
  # Theia exits with 1 even after a clean stop, so its code says nothing here: the studio logs
  # whether its final sync succeeded ("[shutdown] ..."). A stop on request is a success.
  stop_all "$1" || true
  log "stopped"
  exit 0
}
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGINT' INT

# --- 3. nginx, once the backend listens ----------------------------------------------------------
for _ in $(seq 1 600); do
  kill -0 "$backend_pid" 2>/dev/null || { wait "$backend_pid" || code=$?; die "the studio's backend exited (code ${code:-0}) before listening; see its output above."; }
  (exec 3<>"/dev/tcp/127.0.0.1/$BACKEND_PORT") 2>/dev/null && break
  sleep 0.1
done
# nginx's access log goes through a FIFO that this script copies to its own standard output: nginx
# would reopen /dev/stdout by name, which fails for a non-root user when the runtime's pipe belongs to
# root. The copier ends when nginx closes the FIFO.
"$NGINX_RENDER" "$NGINX_TEMPLATE" "$RUN_DIR/nginx" "$HTTP_PORT" "$BACKEND_PORT" >"$RUN_DIR/nginx.conf"
rm -f "$RUN_DIR/nginx/access.log"
mkfifo -m 600 "$RUN_DIR/nginx/access.log"
cat "$RUN_DIR/nginx/access.log" &
nginx -e stderr -c "$RUN_DIR/nginx.conf" &
nginx_pid=$!
log "serving the IDE at http://0.0.0.0:$HTTP_PORT/theia/ and health at /health"

# --- run until a signal, or until the backend or nginx dies ---------------------------------------
while true; do
  set +e
  wait -n "$backend_pid" "$nginx_pid"
  set -e
  if ! kill -0 "$backend_pid" 2>/dev/null; then
    stop_all "the studio's backend exited unexpectedly" || true
    exit 1
  fi
  if ! kill -0 "$nginx_pid" 2>/dev/null; then
    stop_all "nginx exited unexpectedly" || true
    exit 1
  fi
done
