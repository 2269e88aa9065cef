import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CANDIDATES = [
  process.env.C2C_CHROMIUM,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** Where Chromium is, or null. Browser tests skip loudly without it, and fail under CI=true. */
export function chromiumPath(): string | null {
  for (const c of CANDIDATES) if (c && existsSync(c)) return c;
  return null;
}

export const CHROMIUM_MISSING = `
  ╔══════════════════════════════════════════════════════════════════════╗
  ║ Browser tests SKIPPED: Chromium was not found (set C2C_CHROMIUM, or   ║
  ║ apt-get install -y chromium). They run, and must pass, under CI=true. ║
  ╚══════════════════════════════════════════════════════════════════════╝`;

/** Launches the system's Chromium headless with the flags this kind of machine needs (Playwright gives it a fresh profile). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
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
