#!/usr/bin/env bash
# Builds the README's Next.js recipe with a real Next.js, as a user would:
# from the packed package, with no DEVREV_AAT set, then serves it and asks the
# route as a signed-out visitor (401), with forged or unsigned session cookies
# (401: identify trusts only what the server signed), and as a signed-in user
# without a token configured (500, not a crash). The route file is the README's
# own snippet.
# The same build holds test/ecosystem/next-edge/route.ts, a route on the edge runtime, which
# must mint a token against the mock.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server=""
mock=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$work"' EXIT

# The tarball .ci/run packed (PACKED_TARBALL), or one packed now.
tarball="$(bash "$root/.ci/packed-tarball.sh" "$work")"
# The mock, from this checkout (built by the pack), on a free loopback port, for the edge route.
node "$root/scripts/repo/run.mjs" src/cli/npm-mock.ts --port 0 >"$work/mock.log" 2>&1 &
mock=$!
cd "$work"
npm init -y >/dev/null
# A Next.js app as create-next-app makes it: no "type" (npm init writes "commonjs").
npm pkg delete type >/dev/null
npm install --no-audit --no-fund --silent "$work/$tarball" next@16.4.6 react@19.3.1 react-dom@19.3.1 \
  "typescript@$(node -p "require('$root/package.json').devDependencies.typescript")" @types/react@19 @types/node@22

mkdir -p app/api/plug/session
# The TypeScript block that follows the recipe's heading in the README.
awk '/^Next.js \(App Router\)/ { found = 1 } found && /^```ts$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
  "$root/README.md" > app/api/plug/session/route.ts
test -s app/api/plug/session/route.ts
mkdir -p app/api/plug/edge
cp "$root/test/ecosystem/next-edge/route.ts" app/api/plug/edge/route.ts
cp "$root/test/ecosystem/handler.mjs" "$root/test/ecosystem/check.mjs" .
cat > app/layout.tsx <<'TSX'
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (<html lang="en"><body>{children}</body></html>);
}
TSX
cat > app/page.tsx <<'TSX'
export default function Page() {
  return <p>recipe</p>;
}
TSX

for _ in $(seq 1 300); do grep -qE 'listening on http://127\.0\.0\.1:[0-9]+' "$work/mock.log" && break; sleep 0.2; done
ECOSYSTEM_MOCK_URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/mock.log" | head -n 1)"
export ECOSYSTEM_MOCK_URL

echo "== next build, without DEVREV_AAT"
env -u DEVREV_AAT NEXT_TELEMETRY_DISABLED=1 npx next build

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# The recipe's session cookie, `<id>.<HMAC-SHA-256 of the id under SESSION_SECRET, base64url>`, as a sign-in sets it.
SESSION_SECRET="recipe-check-$RANDOM$RANDOM"
export SESSION_SECRET
session_for() {
  node -e 'const [id, secret] = process.argv.slice(1); console.log(`${id}.${require("crypto").createHmac("sha256", secret).update(id).digest("base64url")}`)' "$1" "$2"
}
env -u DEVREV_AAT NEXT_TELEMETRY_DISABLED=1 ./node_modules/.bin/next start -H 127.0.0.1 -p "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
signed_out=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/plug/session")
ask() { curl -s -o /dev/null -w '%{http_code}' -X POST -H "cookie: $1" "http://127.0.0.1:$port/api/plug/session"; }
unsigned=$(ask 'user=ada')
forged=$(ask "session=$(session_for ada not-the-secret)")
no_token=$(ask "session=$(session_for ada "$SESSION_SECRET")")
echo "  signed out: $signed_out; unsigned cookie: $unsigned; forged cookie: $forged; signed in, no DEVREV_AAT: $no_token"
[ "$signed_out" = 401 ] && [ "$unsigned" = 401 ] && [ "$forged" = 401 ] && [ "$no_token" = 500 ]
# Not silent: that 500 left one line on the server's console, naming the error class.
grep -F "[devrev-plug-session] POST /api/plug/session answered 500 internal_error: ConfigurationError" "$work/server.log" |
  wc -l | grep -qx 1 || { echo "no log line for the 500:" >&2; cat "$work/server.log" >&2; exit 1; }
echo "== the edge runtime route, against the mock at $ECOSYSTEM_MOCK_URL"
node check.mjs "http://127.0.0.1:$port/api/plug/edge"

echo "== the recipe pointed at the mock through DEVREV_BASE_URL"
kill "$server" 2>/dev/null || true
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
DEVREV_AAT=recipe-aat DEVREV_BASE_URL="$ECOSYSTEM_MOCK_URL" NEXT_TELEMETRY_DISABLED=1 \
  ./node_modules/.bin/next start -H 127.0.0.1 -p "$port" >"$work/server-mock.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
minted=$(ask "session=$(session_for grace "$SESSION_SECRET")")
echo "  signed in, DEVREV_BASE_URL at the mock: $minted"
[ "$minted" = 200 ]
curl -s "$ECOSYSTEM_MOCK_URL/__mock/requests" | grep -q '"user_ref":"grace"' ||
  { echo "the mock never saw the recipe's request" >&2; exit 1; }
echo "Next.js recipe check passed"
