/**
 * Chromium for the page's browser tests and its bench, driven by playwright-core (which brings no browser
 * of its own): Debian's `chromium` package (`apt-get install chromium`, as .ci/run does when it can), or
 * the binary CHROMIUM_PATH names.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser'];

/** The Chromium binary to drive; undefined when there is none (the browser tests then skip). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', ...(env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((dir) => NAMES.map((n) => path.join(dir, n)))];
  return candidates.find((c): c is string => c !== undefined && c !== '' && isExecutable(c));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Why the browser tests skip, for the describe's title. */
export const NO_CHROMIUM = 'skipped: no Chromium at $CHROMIUM_PATH, /usr/bin/chromium or on PATH (apt-get install chromium)';

/** Headless; as root, Chromium refuses to start with its sandbox. */
export function launchChromium(executablePath: string): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath, headless: true, args: root ? ['--no-sandbox'] : [], timeout: 90_000 });
}
