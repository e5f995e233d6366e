import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Debian's Chromium, never a downloaded one. */
export const chromiumPath = CANDIDATES.find((path): path is string => Boolean(path && existsSync(path)));

/**
 * Whether browser tests run. Locally a missing Chromium skips them with a loud
 * warning; under CI=true it is a failure, never a skip.
 */
export function browserTestsEnabled(suite: string): boolean {
  if (chromiumPath) return true;
  const message = `Chromium not found (looked for ${CANDIDATES.filter(Boolean).join(", ")}): ${suite} cannot run. Install it with: apt-get install -y chromium`;
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n${"!".repeat(80)}\nSKIPPING ${suite}: ${message}\n${"!".repeat(80)}\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Chromium's own background traffic would try to leave this machine.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
