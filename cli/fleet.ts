/**
 * The fleet the CI templates fan out over, read from the synthesized stacks (run `npm run synth`
 * first): every stack of cdktf.out/manifest.json and its deploy ring (the cluster's `ring`, which
 * FluxGitOpsStack writes under the "//" comment of its cdk.tf.json). No cluster is listed by hand.
 * `cdktf-flux-gitops fleet` (`npm run fleet`); FLEET_USAGE below says what it takes.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Key of the stack metadata, as stacks/flux-gitops-stack.ts FLEET_METADATA_KEY writes it. */
export const FLEET_METADATA_KEY = 'fluxGitopsFleet';

/** The synthesized fleet: every stack, and the stacks of each ring in ring order. */
export interface Fleet {
  readonly stacks: string[];
  readonly rings: { ring: number; stacks: string[] }[];
}

/** Reads the fleet from a cdktf output folder (cdktf.out). */
export function readFleet(outdir: string): Fleet {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run synth first (npm run synth)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const stacks = Object.values(manifest.stacks as Record<string, { name: string; synthesizedStackPath: string }>).map((s) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8'));
    const ring = json['//']?.[FLEET_METADATA_KEY]?.ring;
    if (!Number.isInteger(ring) || ring < 1) throw new Error(`stack ${s.name} has no deploy ring: was it made by FluxGitOpsStack?`);
    return { name: s.name, ring: ring as number };
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
 */
export function ciOutputs(ci: 'github' | 'azure', fleet: Fleet, ringJobs: number): string[] {
  const beyond = fleet.rings.filter((r) => r.ring > ringJobs);
  if (beyond.length > 0) {
    const list = beyond.map((r) => `ring ${r.ring} (${r.stacks.join(', ')})`).join(', ');
    throw new Error(`the template deploys rings 1 to ${ringJobs}; add a deploy job for ${list}, like the others`);
  }
  const ringOf = (n: number): string[] => fleet.rings.find((r) => r.ring === n)?.stacks ?? [];
  const values: [string, string[]][] = [['stacks', fleet.stacks], ...Array.from({ length: ringJobs }, (_, i): [string, string[]] => [`ring${i + 1}`, ringOf(i + 1)])];
  return values.map(([name, stacks]) =>
    ci === 'github'
      ? `${name}=${JSON.stringify(stacks)}`
      : `##vso[task.setvariable variable=${name};isOutput=true]${JSON.stringify(Object.fromEntries(stacks.map((s) => [s, { stack: s }])))}`,
  );
}

export const FLEET_USAGE = `usage: cdktf-flux-gitops fleet github|azure <ring jobs> | json

Reads the fleet from the synthesized stacks (run synth first; CDKTF_OUTDIR, default cdktf.out).
  github <ring jobs>  appends stacks=[...] and ring<N>=[...] to $GITHUB_OUTPUT
  azure <ring jobs>   prints Azure Pipelines output variables stacks and ring<N>, as matrices
  json                prints { stacks, rings }
<ring jobs> is how many ring jobs the CI template has; a stack in a ring beyond them fails the run.

Example: npm run --silent fleet -- github 3`;

/** `fleet`: resolves to the exit code (2 for usage, 1 when the fleet cannot be read or placed). */
export async function fleetCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void, err: (line: string) => void): Promise<number> {
  const [ci, jobs, ...extra] = args;
  if (ci === '--help' || ci === '-h') {
    out(`${FLEET_USAGE}\n`);
    return 0;
  }
  if (extra.length > 0 || !(ci === 'json' ? jobs === undefined : (ci === 'github' || ci === 'azure') && jobs !== undefined)) {
    err(`fleet: ${ci === undefined ? 'no CI system given' : `unexpected arguments ${JSON.stringify(args)}`}\n${FLEET_USAGE}`);
    return 2;
  }
  const ringJobs = Number(jobs);
  if (ci !== 'json' && (!Number.isInteger(ringJobs) || ringJobs < 1)) {
    err(`fleet: <ring jobs> must be a whole number of at least 1, got ${JSON.stringify(jobs)}\n${FLEET_USAGE}`);
    return 2;
  }
  try {
    const fleet = readFleet(env.CDKTF_OUTDIR || 'cdktf.out');
    if (ci === 'json') {
      out(`${JSON.stringify(fleet, null, 2)}\n`);
      return 0;
    }
    const lines = ciOutputs(ci as 'github' | 'azure', fleet, ringJobs);
    if (ci === 'github') {
      if (!env.GITHUB_OUTPUT) throw new Error('GITHUB_OUTPUT is not set: not a GitHub Actions step?');
      fs.appendFileSync(env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
    } else {
      out(`${lines.join('\n')}\n`);
    }
    out(`fleet: ${fleet.rings.map((r) => `ring ${r.ring}: ${r.stacks.join(', ')}`).join('; ')}\n`);
    return 0;
  } catch (e) {
    err(`fleet: ${(e as Error).message}`);
    return 1;
  }
}
