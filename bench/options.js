// @ts-check
'use strict';
/**
 * The command line of bench/run.js. A run writes its figures to an untracked file unless asked to
 * `--save` them over the committed bench/results.json: a measurement on a loaded machine must not
 * replace the recorded one by accident.
 */
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
/** The committed results, written only with --save. */
const SAVED = path.join(ROOT, 'bench', 'results.json');
/** Where a run writes by default (gitignored). */
const UNTRACKED = path.join(ROOT, 'bench', 'out', 'results.json');

/** @param {readonly string[]} args */
function benchOptions(args) {
  /** @param {string} name @param {string} fallback */
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const given = option('--out', '');
  return {
    runs: Number(option('--runs', '5')),
    testRuns: Number(option('--test-runs', '3')),
    out: given ? path.resolve(ROOT, given) : args.includes('--save') ? SAVED : UNTRACKED,
    skipTest: args.includes('--skip-test'),
    skipStatus: args.includes('--skip-status'),
    skipPage: args.includes('--skip-page'),
  };
}

module.exports = { benchOptions, SAVED, UNTRACKED };
