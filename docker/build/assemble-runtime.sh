#!/usr/bin/env bash
# Inside the image build, after `theia build --mode production`: assembles what the runtime image
# holds from the built source tree <src> into <out>:
#   <out>/studio/browser-app/lib           the Theia application (backend bundle, frontend, native modules)
#   <out>/studio/workspace-backend/lib     the workspace core (kept out of the bundle; browser-app/esbuild.mjs says why)
#   <out>/studio/node_modules              the workspace core's production dependencies, nothing else
#   <out>/defaults/workspace               what a new, empty workspace starts with (agents, workflows, welcome)
# It prunes <src>'s node_modules in place: run it last.
set -euo pipefail
src="$(cd "$1" && pwd)"; out="$2"
app="$out/studio"
cd "$src"

# The backend bundle holds Theia and the extensions; only the workspace core is loaded from
# node_modules, so only its production dependencies stay.
node docker/build/select-workspaces.js . --keep workspace-backend
npm prune --omit=dev --no-audit --no-fund --loglevel=error
# Native build leftovers (objects, the SQLite sources) are not needed to load the addon.
rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
       node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/build/Release/.deps \
       node_modules/better-sqlite3/build/deps

mkdir -p "$app/browser-app" "$app/workspace-backend"
cp -a node_modules "$app/"
cp -a package.json "$app/"
cp -a browser-app/package.json browser-app/lib "$app/browser-app/"
cp -a workspace-backend/package.json workspace-backend/lib "$app/workspace-backend/"
# Dependencies npm could not hoist (another version sits at the root) live in the workspace itself.
if [ -d workspace-backend/node_modules ]; then cp -a workspace-backend/node_modules "$app/workspace-backend/"; fi
# Source maps and compiled specs are for development; they would double the image's application layer.
find "$app/browser-app/lib" "$app/workspace-backend/lib" \( -name '*.map' -o -name '*.spec.js' -o -name '*.spec.d.ts' \
  -o -name '*.slow-spec.js' -o -name '*.slow-spec.d.ts' \) -delete
# Test code never runs in the image: the scripted agents and every other test-support folder stay out of it,
# so even a NODE_OPTIONS=--require set on a container finds no scripted agents to load (core/provider-factory-override.ts).
find "$app/workspace-backend/lib" -depth -type d -name test-support -exec rm -rf {} +
find "$app/workspace-backend/lib" \( -name '*-test-support.js' -o -name '*-test-support.d.ts' \) -delete
for cli in cli coordination-cli; do
    [ -x "$app/workspace-backend/lib/$cli/main.js" ] || chmod +x "$app/workspace-backend/lib/$cli/main.js"
done

# The assembled tree must load on its own: every module of the workspace core, the native ones included.
(cd "$app" && node -e "require('./workspace-backend'); require('better-sqlite3')(':memory:').close()") \
  || { echo "assemble-runtime.sh: the runtime tree does not load (a dependency missing from $app/node_modules?); see above" >&2; exit 1; }

node docker/build/write-workspace-defaults.js "$out/defaults/workspace"
echo "runtime tree: $(du -sh "$app" | cut -f1) (node_modules $(du -sh "$app/node_modules" | cut -f1), frontend $(du -sh "$app/browser-app/lib/frontend" | cut -f1))"
