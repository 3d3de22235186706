/**
 * `status`: which commit is live on which cluster and ring, read from Azure DevOps commit statuses and
 * the clusters, against the fleet the config expects. STATUS_USAGE says what it takes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_CONTEXT_KEY, ConfigError, configPathFrom } from '../config/load';
import { DEFAULT_COMMITS } from '../fleet-status/ado-reader';
import { loadExpectedFleet } from '../fleet-status/expected';
import { FromSources, readFleet } from '../fleet-status/read';
import { parseSnapshot } from '../fleet-status/snapshot-file';
import { FleetSnapshot, KUSTOMIZATION_STATES } from '../fleet-status/snapshot';
import { renderFleetPage } from '../fleet-status/html';
import { renderTable } from '../fleet-status/table';

type Out = (text: string) => void;

export const STATUS_USAGE = `usage: cdktf-flux-gitops status [--config F] [--from ado|cluster|both] [--json] [--html F] [--snapshot F] [--fail-on S,...] [--commits N]

Shows which commit is live on which cluster and ring: Azure DevOps commit statuses and each cluster's
Kustomizations, against the fleet the config expects. A table on stdout (rings as groups, clusters as rows).
  --config F       the config (default: FLUX_GITOPS_CONFIG, cdktf.json context ${CONFIG_CONTEXT_KEY}, else the embedded example)
  --from S         ado, cluster or both (default both); an unreachable cluster is reported, never fatal
  --json           print only the snapshot (schema cdktf-flux-gitops/fleet-snapshot/v1, fleet-status/snapshot.schema.json)
  --html F         also write the fleet page to F: one self-contained HTML file (docs/fleet-page.md)
  --snapshot F     render a saved snapshot (from --json) instead of reading; no network
  --fail-on S,...  exit 1 when a Kustomization is in one of these states (${KUSTOMIZATION_STATES.join(', ')}),
                   or "disagreement" when the two sources disagree
  --commits N      commits read per repository and ref (default ${DEFAULT_COMMITS})
Token: AZDO_PERSONAL_ACCESS_TOKEN (Code: Read) or AZDO_ENTRA_TOKEN; AZDO_DEV_URL overrides https://dev.azure.com.
Exit codes: 0 read, 1 a --fail-on finding, 2 usage, a bad config or snapshot file, 3 a source could not be reached at all.

Example: npm run --silent status -- --config examples/fleet.yaml --from ado --fail-on failed,silent`;

export interface StatusArgs {
  configFile?: string;
  from: FromSources;
  json: boolean;
  snapshotFile?: string;
  /** Where to write the fleet page, if anywhere. */
  htmlFile?: string;
  failOn: string[];
  commits: number;
}

const FAIL_ON = [...KUSTOMIZATION_STATES, 'disagreement'];

/** The config file the way synth finds it: --config, FLUX_GITOPS_CONFIG, cdktf.json's context, else none (the example). */
export function configFileFrom(given: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  if (given) return given;
  let context: unknown;
  try {
    context = (JSON.parse(env.CDKTF_CONTEXT_JSON ?? '{}') as Record<string, unknown>)[CONFIG_CONTEXT_KEY];
  } catch {
    context = undefined;
  }
  if (context === undefined) {
    try {
      context = JSON.parse(fs.readFileSync(path.join(cwd, 'cdktf.json'), 'utf8'))?.context?.[CONFIG_CONTEXT_KEY];
    } catch {
      context = undefined; // no cdktf.json here: not a cdktf project folder
    }
  }
  return configPathFrom(env, context);
}

/** Parses the arguments; a string is a usage problem. */
export function parseStatusArgs(args: readonly string[]): StatusArgs | string {
  const parsed: StatusArgs = { from: 'both', json: false, failOn: [], commits: DEFAULT_COMMITS };
  let fromGiven = false;
  let commitsGiven = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => (args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[++i] : undefined);
    if (a === '--json') parsed.json = true;
    else if (a === '--config') {
      const v = value();
      if (!v) return '--config needs a file';
      parsed.configFile = v;
    } else if (a === '--html') {
      const v = value();
      if (!v) return '--html needs a file';
      parsed.htmlFile = v;
    } else if (a === '--snapshot') {
      const v = value();
      if (!v) return '--snapshot needs a file';
      parsed.snapshotFile = v;
    } else if (a === '--from') {
      const v = value();
      if (v !== 'ado' && v !== 'cluster' && v !== 'both') return `--from takes ado, cluster or both, not ${JSON.stringify(v ?? '')}`;
      parsed.from = v;
      fromGiven = true;
    } else if (a === '--fail-on') {
      const v = value();
      const list = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const wrong = list.filter((s) => !FAIL_ON.includes(s));
      if (list.length === 0 || wrong.length > 0) return `--fail-on takes a comma-separated list of ${FAIL_ON.join(', ')}${wrong.length ? `, not ${wrong.join(', ')}` : ''}`;
      parsed.failOn = list;
    } else if (a === '--commits') {
      const v = value();
      const n = Number(v);
      if (!v || !Number.isInteger(n) || n < 1 || n > 1000) return `--commits takes a whole number from 1 to 1000, not ${JSON.stringify(v ?? '')}`;
      parsed.commits = n;
      commitsGiven = true;
    } else return `unknown argument ${JSON.stringify(a)}`;
  }
  if (parsed.snapshotFile && (fromGiven || commitsGiven || parsed.configFile)) return '--snapshot renders a saved snapshot: --from, --commits and --config do not apply';
  return parsed;
}

export interface SnapshotResult {
  readonly snapshot?: FleetSnapshot;
  /** Set when no snapshot could be had: the exit code and the message. */
  readonly failure?: { code: number; message: string };
}

/** The snapshot the arguments ask for: read from a file, or from the sources. */
export async function obtainSnapshot(
  o: { configFile?: string; snapshotFile?: string; from: FromSources; commits: number },
  env: NodeJS.ProcessEnv,
  err: Out,
): Promise<SnapshotResult> {
  if (o.snapshotFile) {
    try {
      return { snapshot: parseSnapshot(fs.readFileSync(o.snapshotFile, 'utf8'), o.snapshotFile) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { failure: { code: 2, message: code ? `cannot read ${o.snapshotFile}: ${code}` : (e as Error).message } };
    }
  }
  let fleet;
  try {
    fleet = loadExpectedFleet(configFileFrom(o.configFile, env));
  } catch (e) {
    return { failure: { code: 2, message: e instanceof ConfigError ? e.message : (e as Error).message } };
  }
  const { snapshot } = await readFleet(fleet, { env, from: o.from, commits: o.commits, log: (line) => err(`status: ${line}`) });
  return { snapshot };
}

/** 3 when a source that was asked could not be read at all. */
export function unreachableSources(snapshot: FleetSnapshot): string[] {
  const out: string[] = [];
  const ado = snapshot.sources.ado;
  if (ado.read && ado.error !== null && snapshot.repositories.length > 0 && snapshot.repositories.every((r) => r.head === null)) out.push(`Azure DevOps: ${ado.error}`);
  const clusters = snapshot.sources.cluster;
  if (clusters.read && snapshot.clusters.length > 0 && snapshot.clusters.every((c) => c.reachable === false)) out.push(`clusters: none could be reached (${clusters.error ?? ''})`);
  return out;
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org). */
export function useColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR;
}

export async function statusCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(`${STATUS_USAGE}\n`);
    return 0;
  }
  const parsed = parseStatusArgs(args);
  if (typeof parsed === 'string') {
    err(`status: ${parsed}\n${STATUS_USAGE}`);
    return 2;
  }
  const { snapshot, failure } = await obtainSnapshot(parsed, env, err);
  if (!snapshot) {
    err(`status: ${failure!.message}`);
    return failure!.code;
  }
  if (parsed.htmlFile) {
    // Written whatever the findings: the page of a partial reading is what a pipeline archives.
    try {
      fs.writeFileSync(parsed.htmlFile, renderFleetPage(snapshot));
    } catch (e) {
      err(`status: cannot write ${parsed.htmlFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    err(`status: wrote the fleet page to ${parsed.htmlFile}`);
  }
  if (parsed.json) out(`${JSON.stringify(snapshot, null, 2)}\n`);
  else out(renderTable(snapshot, { color: useColor(env, process.stdout.isTTY === true) }));
  const unreachable = unreachableSources(snapshot);
  for (const u of unreachable) err(`status: ${u}`);
  if (unreachable.length > 0) return 3;
  const findings = snapshot.clusters.flatMap((c) =>
    c.kustomizations.flatMap((k) => [
      ...(parsed.failOn.includes(k.state) ? [`${c.name} ${k.namespace}/${k.name}: ${k.state}${k.reason ? ` (${k.reason})` : ''}`] : []),
      ...(parsed.failOn.includes('disagreement') && k.disagreement ? [`${c.name} ${k.namespace}/${k.name}: ${k.disagreement}`] : []),
    ]),
  );
  if (findings.length > 0) {
    err(`status: ${findings.length} finding${findings.length === 1 ? '' : 's'} (--fail-on ${parsed.failOn.join(',')}):\n${findings.map((f) => `  ${f}`).join('\n')}`);
    return 1;
  }
  return 0;
}
