/**
 * The fleet the CI templates fan out over, read from the synthesized stacks (run `npm run synth`
 * first): every stack of cdktf.out/manifest.json and its deploy ring (the cluster's `ring`, which
 * FluxGitOpsStack writes under the "//" comment of its cdk.tf.json). No cluster is listed by hand.
 * `cdktf-flux-gitops fleet` (`npm run fleet`); FLEET_USAGE below says what it takes.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Key of the stack metadata, as stacks/flux-gitops-stack.ts FLEET_METADATA_KEY writes it. */
export const FLEET_METADATA_KEY = 'fluxGitopsFleet';

/** The synthesized fleet: every stack, and the stacks of each ring in ring order. */
export interface Fleet {
  readonly stacks: string[];
  readonly rings: { ring: number; stacks: string[] }[];
}

/** Every synthesized stack of a cdktf output folder (cdktf.out) with its cdk.tf.json. */
function stackFiles(outdir: string): { name: string; json: any }[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run synth first (npm run synth)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  return Object.values(manifest.stacks as Record<string, { name: string; synthesizedStackPath: string }>).map((s) => ({
    name: s.name,
    json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')),
  }));
}

/** Reads the fleet from a cdktf output folder (cdktf.out). */
export function readFleet(outdir: string): Fleet {
  const stacks = stackFiles(outdir).map(({ name, json }) => {
    const ring = json['//']?.[FLEET_METADATA_KEY]?.ring;
    if (!Number.isInteger(ring) || ring < 1) throw new Error(`stack ${name} has no deploy ring: was it made by FluxGitOpsStack?`);
    return { name, ring: ring as number };
  });
  const numbers = [...new Set(stacks.map((s) => s.ring))].sort((a, b) => a - b);
  return {
    stacks: stacks.map((s) => s.name),
    rings: numbers.map((ring) => ({ ring, stacks: stacks.filter((s) => s.ring === ring).map((s) => s.name) })),
  };
}

/**
 * Azure Pipelines matrix configuration names "must contain only basic Latin alphabet letters (A-Z and a-z),
 * digits (0-9), and underscores (_). They must start with a letter. Also, their length must be 100
 * characters or fewer" (learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job-strategy, Remarks).
 * GitHub takes any matrix value, but the artifacts named after a leg refuse " : < > | * ? \\ / and line
 * breaks (actions/toolkit packages/artifact/src/internal/upload/path-and-artifact-name-validation.ts at
 * 02d079213fff2efe0dd06128c73c383b366748a1), so
 * one name serves both: "c_", then each lower-case letter or digit as it is and every other character as
 * "_" and two (or, beyond U+00FF, "_u" and six) lower-case hex digits. The code is prefix-free, so two
 * stacks never share a leg ("dev-weu" is c_dev_2dweu, "dev_weu" c_dev_5fweu), and it is all lower case,
 * so names that differ only in case stay apart too. A name whose leg would pass 100 characters keeps a
 * readable head and ends in a hash of the whole name; stackOfLeg() maps every leg back.
 */
export const LEG_PREFIX = 'c_';
const LEG_MAX = 100;

export function legOf(stack: string): string {
  const escaped = [...stack]
    .map((ch) => {
      if (/^[a-z0-9]$/.test(ch)) return ch;
      const code = ch.codePointAt(0)!;
      return code <= 0xff ? `_${code.toString(16).padStart(2, '0')}` : `_u${code.toString(16).padStart(6, '0')}`;
    })
    .join('');
  const leg = `${LEG_PREFIX}${escaped}`;
  if (leg.length <= LEG_MAX) return leg;
  const hash = createHash('sha256').update(stack).digest('hex').slice(0, 32);
  // "_h" cannot occur in an escaped name ("h" is no hex digit), so a hashed leg never equals a plain one.
  return `${leg.slice(0, LEG_MAX - hash.length - 2)}_h${hash}`;
}

/** The stack of a matrix leg, among the fleet's stacks (a hashed leg cannot be decoded from itself alone). */
export function stackOfLeg(leg: string, stacks: readonly string[]): string | undefined {
  return stacks.find((s) => legOf(s) === leg);
}

/** The legs of a list of stacks; two stacks that would share a leg fail the run rather than one hiding the other. */
function legsOf(stacks: readonly string[]): { stack: string; leg: string }[] {
  const legs = stacks.map((stack) => ({ stack, leg: legOf(stack) }));
  const seen = new Map<string, string>();
  for (const { stack, leg } of legs) {
    const other = seen.get(leg);
    if (other !== undefined && other !== stack) throw new Error(`stacks ${JSON.stringify(other)} and ${JSON.stringify(stack)} map to one matrix leg ${leg}`);
    seen.set(leg, stack);
  }
  return legs;
}

/**
 * The lines a CI system reads: GitHub step outputs (JSON lists of { stack, leg } for `matrix.include`) or
 * Azure Pipelines output variables (matrices: one leg per stack, named by legOf(), with the variables
 * `stack` and `leg`). Rings without a stack get an empty list ([] on GitHub, {} on Azure).
 */
export function ciOutputs(ci: 'github' | 'azure', fleet: Fleet, ringJobs: number): string[] {
  const beyond = fleet.rings.filter((r) => r.ring > ringJobs);
  if (beyond.length > 0) {
    const list = beyond.map((r) => `ring ${r.ring} (${r.stacks.join(', ')})`).join(', ');
    throw new Error(`the template deploys rings 1 to ${ringJobs}; add a deploy job for ${list}, like the others`);
  }
  const ringOf = (n: number): string[] => fleet.rings.find((r) => r.ring === n)?.stacks ?? [];
  const values: [string, string[]][] = [['stacks', fleet.stacks], ...Array.from({ length: ringJobs }, (_, i): [string, string[]] => [`ring${i + 1}`, ringOf(i + 1)])];
  legsOf(fleet.stacks);
  return values.map(([name, stacks]) =>
    ci === 'github'
      ? `${name}=${JSON.stringify(legsOf(stacks))}`
      : `##vso[task.setvariable variable=${name};isOutput=true]${JSON.stringify(Object.fromEntries(legsOf(stacks).map((l) => [l.leg, l])))}`,
  );
}

/**
 * The stacks whose state would live on the runner: a local backend (cdktf's default when a stack names
 * none). A CI deploy of those throws the state away with the runner, the Flux SSH private key in it.
 */
export function localStateStacks(outdir: string): string[] {
  return stackFiles(outdir)
    .filter(({ json }) => {
      const terraform = json.terraform ?? {};
      const backend = terraform.backend ?? {};
      return terraform.cloud === undefined && (Object.keys(backend).length === 0 || 'local' in backend);
    })
    .map(({ name }) => name);
}

export const FLEET_USAGE = `usage: cdktf-flux-gitops fleet github|azure <ring jobs> | json  [--require-remote-backend]

Reads the fleet from the synthesized stacks (run synth first; CDKTF_OUTDIR, default cdktf.out).
  github <ring jobs>  appends stacks=[...] and ring<N>=[...] to $GITHUB_OUTPUT: lists of { stack, leg }
  azure <ring jobs>   prints Azure Pipelines output variables stacks and ring<N>, as matrices keyed by leg
  json                prints { stacks, rings }
<ring jobs> is how many ring jobs the CI template has; a stack in a ring beyond them fails the run.
A leg is a matrix name valid on both systems for any stack name (dev-weu: c_dev_2dweu).
--require-remote-backend  fails (exit 1) when a stack keeps its state on the machine (a local backend):
                          the check a CI deploy makes before it plans.

Exit codes: 0 done, 1 the fleet cannot be read or placed (or a local backend with the flag), 2 usage.

Example: npm run --silent fleet -- github 3 --require-remote-backend`;

/** `fleet`: resolves to the exit code (2 for usage, 1 when the fleet cannot be read or placed). */
export async function fleetCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void, err: (line: string) => void): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    out(`${FLEET_USAGE}\n`);
    return 0;
  }
  const requireRemote = args.includes('--require-remote-backend');
  const [ci, jobs, ...extra] = args.filter((a) => a !== '--require-remote-backend');
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
    const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
    const fleet = readFleet(outdir);
    if (requireRemote) {
      const local = localStateStacks(outdir);
      if (local.length > 0) {
        throw new Error(
          `refusing to deploy from CI: ${local.join(', ')} would keep ${local.length === 1 ? 'its' : 'their'} state on this runner, which is thrown away ` +
            'with it (the Flux SSH private key included). Set `backend` in the config (type azurerm or cloud; see stacks/backend.ts) ' +
            'for every cluster, or deploy from a workstation with `cdktf deploy`.',
        );
      }
    }
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
    err(`fleet: ${fleet.rings.map((r) => `ring ${r.ring}: ${r.stacks.join(', ')}`).join('; ')}`);
    return 0;
  } catch (e) {
    err(`fleet: ${(e as Error).message}`);
    return 1;
  }
}
