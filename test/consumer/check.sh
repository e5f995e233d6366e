#!/usr/bin/env bash
# Installs the packed package into a fresh project, and uses it as
# a consumer would: every entry from ESM and from require(), a type-check with
# node16 and bundler resolution, and the CLI through npx.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tarball .ci/run packed (PACKED_TARBALL), or one packed now.
tarball="$(bash "$root/.ci/packed-tarball.sh" "$work")"
version_of() { node -p "require('$root/package.json').devDependencies['$1']"; }
# The README's install lines, as written but for where the tarball and the repository are.
readme_file() { node "$root/test/consumer/readme-file.mjs" "$root/README.md" "$1"; }
readme_tarball="./devrev-plug-session/$tarball"
readme_file install-from-tarball | grep -qF "npm install $readme_tarball " ||
  { echo "README: the tarball install line does not name $readme_tarball" >&2; exit 1; }
cd "$work"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
echo "== the README's install from a tarball"
readme_file install-from-tarball | grep '^npm install ' | sed "s#$readme_tarball#$work/$tarball#" > install-from-tarball.sh
bash -euo pipefail install-from-tarball.sh
# The optional peers the generator and the mock need, at the versions this repo tests with.
npm install --no-audit --no-fund --silent \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" \
  "openapi-typescript@$(version_of openapi-typescript)" "ts-morph@$(version_of ts-morph)" \
  "js-yaml@$(version_of js-yaml)" \
  "@stoplight/prism-core@$(version_of @stoplight/prism-core)" "@stoplight/prism-http@$(version_of @stoplight/prism-http)" \
  "@stoplight/prism-http-server@$(version_of @stoplight/prism-http-server)" "vitest@$(version_of vitest)"

echo "== import every entry (ESM)"
node --input-type=module -e '
const entries = ["devrev-plug-session", "devrev-plug-session/server", "devrev-plug-session/node", "devrev-plug-session/browser", "devrev-plug-session/mock", "devrev-plug-session/generator"];
for (const entry of entries) {
  const module = await import(entry);
  if (Object.keys(module).length === 0) throw new Error(`${entry} exports nothing`);
  console.log(`  ${entry}: ${Object.keys(module).length} exports`);
}
const { GrantType } = await import("devrev-plug-session");
if (GrantType.TokenIssue !== "urn:devrev:params:oauth:grant-type:token-issue") throw new Error("wrong GrantType");'

echo "== require every entry (CommonJS)"
node -e '
for (const entry of ["devrev-plug-session", "devrev-plug-session/server", "devrev-plug-session/node", "devrev-plug-session/browser", "devrev-plug-session/mock", "devrev-plug-session/generator"]) {
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
const { session_token, expires_at } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const claims = JSON.parse(Buffer.from(session_token.split(".")[1], "base64url"));
if (claims["http://devrev.ai/displayname"] !== "Ada" || Date.parse(expires_at) < Date.now()) throw new Error("bad token");
console.log("  token --mock: ok");'
# No flags: the spec this package ships, into ./generated.
npx devrev-plug-session generate >/dev/null
test -f generated/operations.ts && echo "  generate: ok"

echo "== the README's generator lines for your own project, as written"
cp "$root/spec/auth-tokens.openapi.yaml" openapi.yaml
readme_file generate-in-your-project > generate-in-your-project.sh
bash -euo pipefail generate-in-your-project.sh 2>generate.err
if grep -q warning generate.err; then cat generate.err >&2; exit 1; fi
npx tsc --noEmit --strict --skipLibCheck --target es2022 --lib es2023,dom --types node \
  --module nodenext --moduleResolution nodenext src/generated/index.ts
echo "  generated into src/generated, type-checked: ok"

echo "== the README's vitest section as written (its config and test file), and a longer suite under that config"
readme_file vitest.config.ts > vitest.config.ts
readme_file session.test.ts > session.test.ts
cp "$root/test/consumer/mock-suite.ts" mock.test.ts
npx tsc --noEmit --strict --skipLibCheck --target es2022 --lib es2023,dom --types node \
  --module esnext --moduleResolution bundler session.test.ts mock.test.ts
npx vitest run --reporter=dot session.test.ts mock.test.ts
echo "== without the optional peers: the server entry works, and every other entry and command names all that is missing"
# Outside $work, whose node_modules has the peers and would be found by walking up.
bare="$(mktemp -d)"
trap 'rm -rf "$work" "$bare"' EXIT
cd "$bare"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --silent "$work/$tarball"
node --input-type=module -e '
const { createDevRevClient, createSessionToken } = await import("devrev-plug-session/server");
await import("devrev-plug-session/browser");
const client = createDevRevClient({ token: "t", fetch: async () => Response.json({ access_token: "a.eyJleHAiOjQxMDI0NDQ4MDB9.c", expires_in: 1, token_type: "bearer" }, { status: 201 }) });
await createSessionToken(client, { revInfo: { user_ref: "u", user_traits: { email: "a@b.example" } } });
console.log("  server entry without peers: ok");'
expect_missing() { # what, expected packages..., then the command's stderr on stdin
  local what="$1"; shift
  local err; err="$(cat)"
  for package in "$@"; do
    case "$err" in *"$package"*) ;; *) echo "$what: does not name $package: $err" >&2; exit 1 ;; esac
  done
  case "$err" in *"npm install --save-dev "*) ;; *) echo "$what: no install command: $err" >&2; exit 1 ;; esac
  case "$err" in *ERR_MODULE_NOT_FOUND*|*"    at "*) echo "$what: a raw error: $err" >&2; exit 1 ;; esac
  echo "  $what: names $*"
}
mock_missing="@stoplight/prism-core @stoplight/prism-http @stoplight/prism-http-server js-yaml"
generator_missing="openapi-typescript ts-morph typescript js-yaml"
{ npx devrev-plug-session mock 2>&1 && exit 1 || true; } | expect_missing "mock" $mock_missing
{ npx devrev-plug-session token --mock --user-ref ada 2>&1 && exit 1 || true; } | expect_missing "token --mock" $mock_missing
{ npx devrev-plug-session generate --spec x.yaml 2>&1 && exit 1 || true; } | expect_missing "generate" $generator_missing
node --input-type=module -e '
const { startMockServer } = await import("devrev-plug-session/mock");
await startMockServer().then(() => process.exit(1), (e) => { console.error(`${e.name}: ${e.message}`); });' 2>&1 |
  expect_missing "import devrev-plug-session/mock" $mock_missing
node --input-type=module -e '
const { generate } = await import("devrev-plug-session/generator");
await generate({ spec: "x.yaml", out: "out" }).then(() => process.exit(1), (e) => { console.error(`${e.name}: ${e.message}`); });' 2>&1 |
  expect_missing "import devrev-plug-session/generator" $generator_missing
for command in generate mock; do
  npx devrev-plug-session "$command" --help | head -n 1 | grep -q "Usage: devrev-plug-session $command" ||
    { echo "$command --help fails without its peers" >&2; exit 1; }
  echo "  $command --help: ok without its peers"
done

echo "== the install line the generator prints, run as printed, makes it work"
install_line="$({ npx devrev-plug-session generate 2>&1 || true; } | sed -n 's/.*Install them with: //p')"
case "$install_line" in "npm install --save-dev "*typescript@^*) ;; *) echo "no install line with ranges: $install_line" >&2; exit 1 ;; esac
echo "  $install_line"
eval "$install_line --no-audit --no-fund --silent"
npx devrev-plug-session generate >/dev/null
test -f generated/operations.ts && echo "  generate after that install: ok"

echo "== the README's install from git (this checkout's HEAD)"
from_git="$(mktemp -d)"
trap 'rm -rf "$work" "$bare" "$from_git"' EXIT
cd "$from_git"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
readme_file install-from-git | sed "s#git+https://<this repository's URL>#git+file://$root#g" > install-from-git.sh
cat install-from-git.sh
bash -euo pipefail install-from-git.sh
node --input-type=module -e '
const { createDevRevClient } = await import("devrev-plug-session/server");
if (typeof createDevRevClient !== "function") throw new Error("no createDevRevClient");
console.log("  installed from git, built by its prepare script: ok");'

echo "consumer check passed"
