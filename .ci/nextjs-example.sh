#!/usr/bin/env bash
# Builds examples/nextjs as a user would (from the packed package, with the
# versions its package.json pins), then drives it in Chromium against the mock:
# sign in, switch user, sign out (test/browser/nextjs-example.test.ts).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tarball .ci/run packed (PACKED_TARBALL), or one packed now.
tarball="$(bash "$root/.ci/packed-tarball.sh" "$work")"
cp -R "$root/examples/nextjs" "$work/app"
rm -rf "$work/app/node_modules" "$work/app/.next"
mv "$work/$tarball" "$work/app/devrev-plug-session.tgz"
cd "$work/app"
npm install --no-audit --no-fund --silent

echo "== next build (examples/nextjs), without DEVREV_AAT"
env -u DEVREV_AAT NEXT_TELEMETRY_DISABLED=1 npx next build

cd "$root"
NEXTJS_EXAMPLE_DIR="$work/app" npx vitest run test/browser/nextjs-example.test.ts
echo "Next.js example check passed"
