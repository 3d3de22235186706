import { judgeGate, parseSoak } from '../fleet-status/gate';
import type { ClusterStatus, CommitStatus, FleetSnapshot, KustomizationStatus, RingProgress } from '../fleet-status/snapshot';
import { fleetSnapshotFixture } from './support/snapshot-fixtures';

// The promotion gate on hand-made snapshots (fleet-status.test.ts runs it through the command line
// against a snapshot the reader wrote): each reason, and the edges of the soak.

const repository = { organization: 'contoso', project: 'fleet', name: 'platform-config' };
const SHA = 'abc1234def5678901234567890123456789abcde';
const NOW = new Date('2026-12-01T12:00:00Z');

const progress = (p: Partial<RingProgress>): RingProgress => ({ reachedAt: null, completeAt: '2026-12-01T10:00:00Z', succeeded: 2, expected: 2, stragglers: [], ...p });
const commit = (sha: string, rings: Record<string, RingProgress>, repo = repository): CommitStatus => ({
  repository: repo,
  sha,
  pushedAt: null,
  author: null,
  message: null,
  url: null,
  rings,
});
const kustomization = (name: string, state: KustomizationStatus['state'], reason: string | null = null): KustomizationStatus => ({
  name,
  namespace: 'flux-system',
  repository,
  ref: null,
  revision: null,
  attemptedRevision: null,
  state,
  reason,
  since: null,
  commitsBehind: null,
  from: [],
  statusName: null,
  targetUrl: null,
  disagreement: null,
});
const cluster = (name: string, reachable: boolean | null, kustomizations: KustomizationStatus[]): ClusterStatus => ({ name, ring: 1, reachable, error: null, kustomizations });

function snapshot(commits: CommitStatus[], clusters: ClusterStatus[] = []): FleetSnapshot {
  return {
    ...fleetSnapshotFixture({ clusters: 3, rings: 3 }),
    rings: [
      { ring: 1, clusters: ['a', 'b'] },
      { ring: 2, clusters: ['c'] },
      { ring: 3, clusters: ['d'] },
    ],
    clusters,
    commits,
  };
}

describe('parseSoak', () => {
  it.each<[string, number | null]>([
    ['0', 0],
    ['45s', 45],
    ['90m', 5400],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1d2h3m4s', 93784],
    ['', null],
    ['00', null],
    ['2', null],
    ['h', null],
    ['2h ', null],
    ['30m1h', null],
    ['1.5h', null],
  ])('%j', (text, seconds) => {
    expect(parseSoak(text)).toBe(seconds);
  });
});

describe('judgeGate', () => {
  const gate = (s: FleetSnapshot, commitText: string, ring: number, soakSeconds = 3600) => judgeGate(s, { commit: commitText, ring, soakSeconds, now: NOW });

  it('refuses a commit the snapshot does not have, saying how many it read', () => {
    expect(gate(snapshot([commit(SHA, {})]), 'fff1234', 2)).toEqual({
      pass: false,
      sha: null,
      reasons: ['commit fff1234 is not among the commits read (1); is it pushed to a ref the fleet follows? (--commits reads more)'],
    });
  });

  it('refuses a prefix of two commits, and takes one commit listed for two repositories as one', () => {
    const other = 'abc1234999999999999999999999999999999999';
    expect(gate(snapshot([commit(SHA, {}), commit(other, {})]), 'abc1234', 2)).toEqual({ pass: false, sha: null, reasons: [`commit abc1234 is ambiguous: ${SHA}, ${other}`] });
    const twice = snapshot([commit(SHA, { 1: progress({}) }), commit(SHA, { 1: progress({}) }, { ...repository, name: 'apps-config' })]);
    expect(gate(twice, 'ABC1234', 2)).toEqual({
      pass: true,
      sha: SHA,
      reasons: ['ring 1: all 2 clusters run it since 2026-12-01T10:00:00Z', 'ring 1: all 2 clusters run it since 2026-12-01T10:00:00Z'],
    });
  });

  it('passes the first ring: nothing to wait for', () => {
    expect(gate(snapshot([commit(SHA, {})]), SHA, 1)).toEqual({ pass: true, sha: SHA, reasons: ['ring 1 is the first ring: nothing to wait for'] });
  });

  it('judges every ring before, and passes one no cluster of the repository is in', () => {
    const s = snapshot([commit(SHA, { 1: progress({}), 2: progress({ expected: 1, succeeded: 1, completeAt: '2026-12-01T11:00:00Z' }) })]);
    expect(gate(s, SHA, 3)).toEqual({
      pass: true,
      sha: SHA,
      reasons: ['ring 1: all 2 clusters run it since 2026-12-01T10:00:00Z', 'ring 2: all 1 clusters run it since 2026-12-01T11:00:00Z'],
    });
    expect(gate(snapshot([commit(SHA, { 2: progress({ expected: 1, succeeded: 1 }) })]), SHA, 3)).toEqual({
      pass: true,
      sha: SHA,
      reasons: ["ring 1: no cluster follows the commit's repository", 'ring 2: all 1 clusters run it since 2026-12-01T10:00:00Z'],
    });
  });

  it('refuses while clusters lag, saying what their Kustomizations say', () => {
    const clusters = [
      cluster('a', false, [kustomization('apps', 'unknown'), kustomization('infra', 'unknown')]),
      cluster('b', true, [kustomization('apps', 'ready'), kustomization('infra', 'failed', 'apply failed'), kustomization('extra', 'silent')]),
      cluster('c', false, [kustomization('apps', 'progressing')]),
    ];
    const s = snapshot([commit(SHA, { 1: progress({ succeeded: 0, expected: 4, stragglers: ['a', 'b', 'c', 'gone'], completeAt: null }) })], clusters);
    expect(gate(s, SHA, 2)).toEqual({
      pass: false,
      sha: SHA,
      reasons: ['ring 1: 0 of 4 clusters run abc1234 or a descendant; not yet: a, b, c, gone [a unreachable; b/infra failed (apply failed); b/extra silent; c/apps progressing]'],
    });
    const quiet = snapshot([commit(SHA, { 1: progress({ succeeded: 1, stragglers: ['b'] }) })], [cluster('b', true, [kustomization('apps', 'ready')])]);
    expect(gate(quiet, SHA, 2).reasons).toEqual(['ring 1: 1 of 2 clusters run abc1234 or a descendant; not yet: b']);
  });

  it('refuses a complete ring no source dates', () => {
    expect(gate(snapshot([commit(SHA, { 1: progress({ completeAt: null }) })]), SHA, 2)).toEqual({
      pass: false,
      sha: SHA,
      reasons: ['ring 1: every cluster runs it, but no source says since when, so the soak cannot be judged'],
    });
  });

  it('passes once the ring has run it for the soak time, to the second', () => {
    const at = (completeAt: string) => snapshot([commit(SHA, { 1: progress({ completeAt }) })]);
    expect(gate(at('2026-12-01T11:00:00Z'), SHA, 2, 3600)).toEqual({ pass: true, sha: SHA, reasons: ['ring 1: all 2 clusters run it since 2026-12-01T11:00:00Z'] });
    expect(gate(at('2026-12-01T11:00:00.500Z'), SHA, 2, 3600)).toEqual({
      pass: false,
      sha: SHA,
      reasons: ['ring 1: complete at 2026-12-01T11:00:00.500Z, soaked 3599 s of 3600 s (1 s to go)'],
    });
    expect(gate(at('2026-12-01T11:30:00Z'), SHA, 2, 3600).reasons).toEqual(['ring 1: complete at 2026-12-01T11:30:00Z, soaked 1800 s of 3600 s (1800 s to go)']);
  });

  it('refuses when one ring before lags, even if another passes', () => {
    const s = snapshot([commit(SHA, { 1: progress({}), 2: progress({ succeeded: 0, expected: 1, stragglers: ['c'] }) })]);
    expect(gate(s, SHA, 3)).toEqual({
      pass: false,
      sha: SHA,
      reasons: ['ring 1: all 2 clusters run it since 2026-12-01T10:00:00Z', 'ring 2: 0 of 1 clusters run abc1234 or a descendant; not yet: c'],
    });
  });
});
