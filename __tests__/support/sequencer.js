// @ts-check
/**
 * The order jest hands test files to its workers. Its own rule runs the slowest files first (from the
 * durations of the last run) so that no worker is left with a long file at the end while the other
 * idles. A fresh clone has no durations, and jest falls back to file size, which puts the library's
 * pack-and-install or the schema limits (small files, long runs) near the end. Here a file jest has no
 * duration for takes its estimate from HEAVY; files with neither keep jest's file-size order after them.
 * A file that failed last time still runs first (jest's rule). Only the order changes: every file runs.
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

/**
 * CPU seconds of a suite alone (`/usr/bin/time -f '%U %S' npx jest __tests__/x.test.ts`, 6 December
 * 2026). Only the order depends on them: a stale figure costs a few seconds at the end of a fresh run.
 */
const HEAVY = {
  'library.test.ts': 12,
  'schema-limits.test.ts': 8.5,
  'pipelines.test.ts': 9,
  'literal-strings.test.ts': 6.7,
  'fleet-page.test.ts': 7.5,
  'property.test.ts': 7,
  'chart-render.test.ts': 6.6,
  'ssh-keys.test.ts': 6.4,
  'doctor.test.ts': 5.4,
  'synth-command.test.ts': 4.9,
  'chart-quoting.test.ts': 4.4,
  'config-repairs.test.ts': 4.2,
};

class HeaviestFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const sorted = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    /** @param {import('@jest/test-result').Test} test */
    const rank = (test) => [Number(this.hasFailed(test)), test.duration != null ? test.duration / 1000 : (HEAVY[/** @type {keyof typeof HEAVY} */ (path.basename(test.path))] ?? 0)];
    // Stable: files with neither a duration nor an estimate keep jest's (file size) order among themselves.
    return sorted
      .map((test, i) => ({ test, i, key: rank(test) }))
      .sort((a, b) => b.key[0] - a.key[0] || b.key[1] - a.key[1] || a.i - b.i)
      .map(({ test }) => test);
  }
}

// The table, for the test that holds its names to the test files that exist.
HeaviestFirst.HEAVY = HEAVY;
module.exports = HeaviestFirst;
