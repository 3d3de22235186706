#!/usr/bin/env node
// @ts-check
/**
 * The fleet the CI templates fan out over, read from the synthesized stacks (run `npm run synth`
 * first): every stack of cdktf.out/manifest.json and its deploy ring (the cluster's `ring`, which
 * FluxGitOpsStack writes under the "//" comment of its cdk.tf.json). No cluster is listed by hand.
 *
 *   node pipelines/fleet.js github <ring jobs>   appends stacks=[...] and ring<N>=[...] to $GITHUB_OUTPUT
 *   node pipelines/fleet.js azure <ring jobs>    sets output variables stacks and ring<N>, as matrices
 *   node pipelines/fleet.js json                 prints { stacks, rings } (for people and tests)
 *
 * <ring jobs> is how many ring jobs the template has; a stack in a ring beyond them fails the run
 * rather than being left undeployed.
 */
const fs = require('fs');
const path = require('path');

/** Key of the stack metadata, as stacks/flux-gitops-stack.ts FLEET_METADATA_KEY writes it. */
const FLEET_METADATA_KEY = 'fluxGitopsFleet';

/**
 * @param {string} outdir the cdktf output folder
 * @returns {{ stacks: string[], rings: { ring: number, stacks: string[] }[] }}
 */
function readFleet(outdir) {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const stacks = Object.values(manifest.stacks).map((/** @type {any} */ s) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8'));
    const ring = json['//']?.[FLEET_METADATA_KEY]?.ring;
    if (!Number.isInteger(ring) || ring < 1) throw new Error(`stack ${s.name} has no deploy ring: was it made by FluxGitOpsStack?`);
    return { name: /** @type {string} */ (s.name), ring: /** @type {number} */ (ring) };
  });
  const numbers = [...new Set(stacks.map((s) => s.ring))].sort((a, b) => a - b);
  return {
    stacks: stacks.map((s) => s.name),
    rings: numbers.map((ring) => ({ ring, stacks: stacks.filter((s) => s.ring === ring).map((s) => s.name) })),
  };
}

/**
 * The lines a CI system reads: GitHub step outputs (JSON lists) or Azure Pipelines output variables
 * (matrices: one leg per stack, with the variable `stack`). Rings without a stack get an empty list.
 * @param {'github' | 'azure'} ci
 * @param {{ stacks: string[], rings: { ring: number, stacks: string[] }[] }} fleet
 * @param {number} ringJobs
 */
function ciOutputs(ci, fleet, ringJobs) {
  const beyond = fleet.rings.filter((r) => r.ring > ringJobs);
  if (beyond.length > 0) {
    const list = beyond.map((r) => `ring ${r.ring} (${r.stacks.join(', ')})`).join(', ');
    throw new Error(`the template deploys rings 1 to ${ringJobs}; add a deploy job for ${list}, like the others`);
  }
  const ringOf = (/** @type {number} */ n) => fleet.rings.find((r) => r.ring === n)?.stacks ?? [];
  const values = [['stacks', fleet.stacks], ...Array.from({ length: ringJobs }, (_, i) => [`ring${i + 1}`, ringOf(i + 1)])];
  return values.map(([name, stacks]) =>
    ci === 'github'
      ? `${name}=${JSON.stringify(stacks)}`
      : `##vso[task.setvariable variable=${name};isOutput=true]${JSON.stringify(Object.fromEntries(/** @type {string[]} */ (stacks).map((s) => [s, { stack: s }])))}`,
  );
}

if (require.main === module) {
  try {
    const [ci, jobs] = process.argv.slice(2);
    const fleet = readFleet(process.env.CDKTF_OUTDIR || 'cdktf.out');
    if (ci === 'json') {
      process.stdout.write(`${JSON.stringify(fleet, null, 2)}\n`);
    } else if (ci === 'github' || ci === 'azure') {
      const ringJobs = Number(jobs);
      if (!Number.isInteger(ringJobs) || ringJobs < 1) throw new Error('give the number of ring jobs of the template');
      const lines = ciOutputs(ci, fleet, ringJobs);
      if (ci === 'github') {
        if (!process.env.GITHUB_OUTPUT) throw new Error('GITHUB_OUTPUT is not set: not a GitHub Actions step?');
        fs.appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
      } else {
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.stdout.write(`fleet: ${fleet.rings.map((r) => `ring ${r.ring}: ${r.stacks.join(', ')}`).join('; ')}\n`);
    } else {
      throw new Error('usage: fleet.js github|azure <ring jobs> | json');
    }
  } catch (e) {
    process.stderr.write(`fleet: ${/** @type {Error} */ (e).message}\n`);
    process.exit(1);
  }
}

module.exports = { readFleet, ciOutputs, FLEET_METADATA_KEY };
