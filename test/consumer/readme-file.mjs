// `node readme-file.mjs README.md NAME` prints the code block that follows the
// README's `<!-- consumer-check: NAME -->` marker, so the consumer check runs
// the README's own snippets rather than copies that could drift from them.
import { readFileSync } from "node:fs";

const [readme, name] = process.argv.slice(2);
const text = readFileSync(readme, "utf8");
const marker = `<!-- consumer-check: ${name} -->`;
const at = text.indexOf(marker);
if (at < 0) {
  process.stderr.write(`${readme}: no "${marker}"\n`);
  process.exit(1);
}
const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(text.slice(at + marker.length));
if (!block) {
  process.stderr.write(`${readme}: no code block after "${marker}"\n`);
  process.exit(1);
}
process.stdout.write(`${block[1]}\n`);
