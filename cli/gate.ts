/**
 * `gate`: may a commit go to ring N? Exits 0 only when every cluster of the rings before N runs it (or a
 * descendant) successfully and has for the soak time; otherwise says why not. The CI templates call it
 * between rings. GATE_USAGE says what it takes.
 */
import { DEFAULT_COMMITS } from '../fleet-status/ado-reader';
import { judgeGate, parseSoak } from '../fleet-status/gate';
import { FromSources } from '../fleet-status/read';
import { obtainSnapshot, unreachableSources } from './status';

type Out = (text: string) => void;

export const GATE_USAGE = `usage: cdktf-flux-gitops gate --commit SHA --ring N [--soak 2h] [--config F] [--from ado|cluster|both] [--snapshot F] [--commits N]

Exits 0 when every cluster of the rings before N runs the commit (or a descendant) successfully and has
for the soak time (default 0); otherwise prints why not. Read from Azure DevOps and the clusters as
\`status\` reads them, or from a saved snapshot (--snapshot, no network).
  --commit SHA   the commit to promote (full SHA, or at least 7 hex digits)
  --ring N       the ring it would go to next
  --soak D       how long the earlier rings must have run it: 45m, 2h, 1h30m, 1d (default 0)
Exit codes: 0 it may go, 1 not yet (the reasons on stdout), 2 usage or a bad config, 3 a source could not be reached at all.

Example: npm run --silent gate -- --commit 3f2a9c1 --ring 2 --soak 2h --config examples/fleet.yaml`;

export async function gateCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(`${GATE_USAGE}\n`);
    return 0;
  }
  let commit: string | undefined;
  let ring: number | undefined;
  let soak = 0;
  let configFile: string | undefined;
  let snapshotFile: string | undefined;
  let from: FromSources = 'both';
  let commits = DEFAULT_COMMITS;
  const usage = (message: string): number => {
    err(`gate: ${message}\n${GATE_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[++i] : undefined;
    if (a === '--commit') {
      if (!v || !/^[0-9a-fA-F]{7,40}$/.test(v)) return usage(`--commit takes a commit SHA (7 to 40 hex digits), not ${JSON.stringify(v ?? '')}`);
      commit = v;
    } else if (a === '--ring') {
      const n = Number(v);
      if (!v || !Number.isInteger(n) || n < 1) return usage(`--ring takes a ring number (1 or more), not ${JSON.stringify(v ?? '')}`);
      ring = n;
    } else if (a === '--soak') {
      const s = v === undefined ? null : parseSoak(v);
      if (s === null) return usage(`--soak takes a duration like 45m, 2h or 1h30m, not ${JSON.stringify(v ?? '')}`);
      soak = s;
    } else if (a === '--config' && v) configFile = v;
    else if (a === '--snapshot' && v) snapshotFile = v;
    else if (a === '--from' && (v === 'ado' || v === 'cluster' || v === 'both')) from = v;
    else if (a === '--commits' && v && Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 1000) commits = Number(v);
    else return usage(`unknown or incomplete argument ${JSON.stringify(a)}`);
  }
  if (commit === undefined || ring === undefined) return usage('--commit and --ring are required');
  const { snapshot, failure } = await obtainSnapshot({ configFile, snapshotFile, from, commits }, env, err);
  if (!snapshot) {
    err(`gate: ${failure!.message}`);
    return failure!.code;
  }
  const unreachable = unreachableSources(snapshot);
  if (unreachable.length > 0) {
    for (const u of unreachable) err(`gate: ${u}`);
    return 3;
  }
  const verdict = judgeGate(snapshot, { commit, ring, soakSeconds: soak, now: new Date() });
  out(`${verdict.pass ? 'pass' : 'wait'}: ${verdict.sha ?? commit} to ring ${ring}\n${verdict.reasons.map((r) => `  ${r}`).join('\n')}\n`);
  return verdict.pass ? 0 : 1;
}
