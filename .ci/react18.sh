#!/usr/bin/env bash
# The React entry's peer range covers React 18 as well as the 19 the project
# develops with: run the React browser tests again with React 18's last
# release, installed in a temp folder (test/browser/react.test.ts reads REACT_DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent react@18.3.1 react-dom@18.3.1
cd "$root"
REACT_DIR="$work" npx vitest run test/browser/react.test.ts
echo "React 18 check passed"
