/**
 * The promotion gate between rings, judged on a snapshot: a commit may go to ring N when every
 * cluster of every ring before N runs it (or a descendant) successfully, and has for the soak time.
 * Read-only, like Kargo's requiredSoakTime (../shared/reference/fleet-view-research.md §8, F8).
 * It reads the commit's ring timeline (compute.ts): `completeAt` is when the last cluster of the ring
 * started to run it, so "has for the soak time" is `completeAt + soak <= now`.
 */
import type { FleetSnapshot } from './snapshot';

/** The question the gate answers: may ring `ring` start with `commit`? */
export interface GateInput {
  /** A full SHA, or a prefix of at least 7 hex digits. */
  readonly commit: string;
  readonly ring: number;
  readonly soakSeconds: number;
  readonly now: Date;
}

/** The gate's answer, with its reasons. */
export interface GateVerdict {
  readonly pass: boolean;
  /** The full SHA, when the snapshot has the commit. */
  readonly sha: string | null;
  /** Why not (one line each), or what passed. */
  readonly reasons: readonly string[];
}

/** A duration like `2h`, `90m`, `1h30m`, `45s` or `0`, in seconds; null when it is not one. */
export function parseSoak(text: string): number | null {
  if (text === '0') return 0;
  const m = text.match(/^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/);
  if (!m || text === '') return null;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return d * 86400 + h * 3600 + min * 60 + s;
}

/** Passes only when every cluster of the rings before `ring` runs the commit (or a descendant) successfully, and has for the soak time. */
export function judgeGate(snapshot: FleetSnapshot, input: GateInput): GateVerdict {
  const prefix = input.commit.toLowerCase();
  const matches = [...new Set(snapshot.commits.filter((c) => c.sha.startsWith(prefix)).map((c) => c.sha))];
  if (matches.length !== 1) {
    return {
      pass: false,
      sha: null,
      reasons: [
        matches.length === 0
          ? `commit ${input.commit} is not among the commits read (${snapshot.commits.length}); is it pushed to a ref the fleet follows? (--commits reads more)`
          : `commit ${input.commit} is ambiguous: ${matches.join(', ')}`,
      ],
    };
  }
  const sha = matches[0];
  const earlier = snapshot.rings.filter((r) => r.ring < input.ring);
  if (earlier.length === 0) return { pass: true, sha, reasons: [`ring ${input.ring} is the first ring: nothing to wait for`] };
  const reasons: string[] = [];
  let pass = true;
  const entries = snapshot.commits.filter((c) => c.sha === sha);
  for (const { ring } of earlier) {
    const progress = entries.map((c) => c.rings[String(ring)]).filter((p) => p !== undefined);
    if (progress.length === 0) {
      reasons.push(`ring ${ring}: no cluster follows the commit's repository`);
      continue;
    }
    for (const p of progress) {
      if (p.succeeded < p.expected) {
        pass = false;
        reasons.push(`ring ${ring}: ${p.succeeded} of ${p.expected} clusters run ${sha.slice(0, 7)} or a descendant; not yet: ${p.stragglers.join(', ')}${stragglerReasons(snapshot, p.stragglers)}`);
      } else if (p.completeAt === null) {
        pass = false;
        reasons.push(`ring ${ring}: every cluster runs it, but no source says since when, so the soak cannot be judged`);
      } else {
        const soaked = (input.now.getTime() - Date.parse(p.completeAt)) / 1000;
        if (soaked < input.soakSeconds) {
          pass = false;
          reasons.push(`ring ${ring}: complete at ${p.completeAt}, soaked ${Math.floor(soaked)} s of ${input.soakSeconds} s (${Math.ceil(input.soakSeconds - soaked)} s to go)`);
        } else reasons.push(`ring ${ring}: all ${p.expected} clusters run it since ${p.completeAt}`);
      }
    }
  }
  return { pass, sha, reasons };
}

/** What the stragglers' Kustomizations say (failed, silent, unreachable), to say why in the same line. */
function stragglerReasons(snapshot: FleetSnapshot, names: readonly string[]): string {
  const notes = names.flatMap((name) => {
    const c = snapshot.clusters.find((x) => x.name === name);
    if (!c) return [];
    if (c.reachable === false && c.kustomizations.every((k) => k.state === 'unknown')) return [`${name} unreachable`];
    return c.kustomizations.filter((k) => k.state !== 'ready').map((k) => `${name}/${k.name} ${k.state}${k.reason ? ` (${k.reason})` : ''}`);
  });
  return notes.length > 0 ? ` [${notes.join('; ')}]` : '';
}
