#!/usr/bin/env bash
# Packs the package, installs the tarball into a fresh project, and uses it as
# a consumer would: every entry from ESM and from require(), a type-check with
# node16 and bundler resolution, and the CLI through npx.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
version_of() { node -p "require('$root/package.json').devDependencies['$1']"; }
cd "$work"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
# The optional peers the generator and the mock need, at the versions this repo tests with.
npm install --no-audit --no-fund --silent "$work/$tarball" \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" \
  "openapi-typescript@$(version_of openapi-typescript)" "ts-morph@$(version_of ts-morph)" \
  "yaml@$(version_of yaml)" "js-yaml@$(version_of js-yaml)" \
  "@stoplight/prism-core@$(version_of @stoplight/prism-core)" "@stoplight/prism-http@$(version_of @stoplight/prism-http)" \
  "@stoplight/prism-http-server@$(version_of @stoplight/prism-http-server)" "vitest@$(version_of vitest)"

echo "== import every entry (ESM)"
node --input-type=module -e '
const entries = ["devrev-plug-session", "devrev-plug-session/server", "devrev-plug-session/browser", "devrev-plug-session/mock", "devrev-plug-session/generator"];
for (const entry of entries) {
  const module = await import(entry);
  if (Object.keys(module).length === 0) throw new Error(`${entry} exports nothing`);
  console.log(`  ${entry}: ${Object.keys(module).length} exports`);
}
const { GrantType } = await import("devrev-plug-session");
if (GrantType.TokenIssue !== "urn:devrev:params:oauth:grant-type:token-issue") throw new Error("wrong GrantType");'

echo "== require every entry (CommonJS)"
node -e '
for (const entry of ["devrev-plug-session", "devrev-plug-session/server", "devrev-plug-session/browser", "devrev-plug-session/mock", "devrev-plug-session/generator"]) {
  const module = require(entry);
  if (Object.keys(module).length === 0) throw new Error(`${entry} exports nothing`);
  console.log(`  ${entry}: ok`);
}' 2> >(grep -v ExperimentalWarning >&2)

echo "== type-check a consumer file (node16, bundler)"
cp "$root/test/consumer/consumer.ts" consumer.ts
for resolution in node16 bundler; do
  module=$([ "$resolution" = node16 ] && echo node16 || echo esnext)
  npx tsc --noEmit --strict --skipLibCheck --target es2022 --lib es2023,dom --types node \
    --module "$module" --moduleResolution "$resolution" consumer.ts
  echo "  $resolution: ok"
done

echo "== the CLI"
npx devrev-plug-session --help | head -n 1
npx devrev-plug-session token --mock --user-ref ada --display-name Ada --json | node -e '
const { token, expires_at } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url"));
if (claims["http://devrev.ai/displayname"] !== "Ada" || Date.parse(expires_at) < Date.now()) throw new Error("bad token");
console.log("  token --mock: ok");'
npx devrev-plug-session generate --spec node_modules/devrev-plug-session/dist/spec/auth-tokens.openapi.yaml --out generated >/dev/null
test -f generated/operations.ts && echo "  generate: ok"

echo "== a vitest suite against the mock, configured as the README says"
cp "$root/test/consumer/mock-suite.ts" mock.test.ts
cat > vitest.config.ts <<'CONFIG'
import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    globalSetup: ["devrev-plug-session/mock/vitest-setup"],
    setupFiles: ["devrev-plug-session/mock/vitest-reset"],
    fileParallelism: false,
  },
});
CONFIG
npx tsc --noEmit --strict --skipLibCheck --target es2022 --lib es2023,dom --types node \
  --module esnext --moduleResolution bundler mock.test.ts
npx vitest run --reporter=dot mock.test.ts
echo "consumer check passed"
