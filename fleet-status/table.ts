/**
 * The snapshot as a table for people: rings as groups, clusters as rows, one column per Kustomization,
 * each cell `sha7 ✔ age` (✔ ready, ✖ failed, … progressing; silent, missing and unknown in words),
 * then the findings in words. Colour only when asked (a TTY without NO_COLOR; the command decides).
 */
import type { FleetSnapshot, KustomizationState, KustomizationStatus } from './snapshot';

export interface TableOptions {
  readonly color: boolean;
  /** Ages are measured from here. @default - the snapshot's generatedAt */
  readonly now?: Date;
}

const MARK: Record<KustomizationState, string> = { ready: '✔', failed: '✖', progressing: '…', silent: 'silent', missing: 'missing', unknown: '?' };
const COLOUR: Record<KustomizationState, string> = { ready: '32', failed: '31', progressing: '33', silent: '35', missing: '35', unknown: '2' };

/** An age as the flux CLI shows one: 45s, 3m, 5h, 2d. */
export function age(since: string | null, now: Date): string {
  if (!since) return '';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (Number.isNaN(s)) return '';
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`;
}

function cell(k: KustomizationStatus, now: Date): string {
  const sha = k.revision ? k.revision.slice(0, 7) : '-------';
  const behind = k.commitsBehind ? ` -${k.commitsBehind}` : '';
  const when = age(k.since, now);
  return ['ready', 'failed', 'progressing'].includes(k.state) ? `${sha} ${MARK[k.state]}${when ? ` ${when}` : ''}${behind}` : `${k.revision ? `${sha} ` : ''}${MARK[k.state]}`;
}

/** The table, lines ending in a newline. */
export function renderTable(snapshot: FleetSnapshot, options: TableOptions): string {
  const now = options.now ?? new Date(snapshot.generatedAt);
  const paint = (state: KustomizationState, text: string): string => (options.color ? `\u001b[${COLOUR[state]}m${text}\u001b[0m` : text);
  const bold = (text: string): string => (options.color ? `\u001b[1m${text}\u001b[0m` : text);
  const columns = [...new Set(snapshot.clusters.flatMap((c) => c.kustomizations.map((k) => `${k.namespace}/${k.name}`)))];
  const header = ['CLUSTER', ...columns.map((c) => c.replace(/^flux-system\//, '').toUpperCase())];
  const rows = snapshot.clusters.map((c) => ({
    ring: c.ring,
    cells: [
      c.reachable === false ? `${c.name} (unreachable)` : c.name,
      ...columns.map((col) => {
        const k = c.kustomizations.find((x) => `${x.namespace}/${x.name}` === col);
        return k ? { text: cell(k, now), state: k.state } : { text: '', state: 'unknown' as const };
      }),
    ],
  }));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r.cells[i]).length)));
  const line = (cells: readonly (string | { text: string; state: KustomizationState })[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - text(c).length);
        return typeof c === 'string' ? c + pad : paint(c.state, c.text) + pad;
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  for (const r of snapshot.repositories) out.push(`${r.organization}/${r.project}/${r.name} ${r.ref ?? '(default branch)'}: head ${r.head ? r.head.slice(0, 7) : 'unknown'}`);
  for (const { ring } of snapshot.rings) {
    out.push('', bold(`RING ${ring}`), `  ${line(header)}`);
    for (const r of rows.filter((x) => x.ring === ring)) out.push(`  ${line(r.cells)}`);
  }
  const findings = snapshot.clusters.flatMap((c) => [
    ...(c.reachable === false ? [`${c.name}: unreachable: ${c.error ?? 'no answer'}`] : []),
    ...c.kustomizations.flatMap((k) => [
      ...(['failed', 'silent', 'missing'].includes(k.state) ? [`${c.name} ${k.name}: ${k.state}${k.reason ? `: ${k.reason}` : ''}`] : []),
      ...(k.disagreement ? [`${c.name} ${k.name}: ${k.disagreement}`] : []),
    ]),
  ]);
  for (const [source, report] of Object.entries(snapshot.sources)) if (report.error) findings.unshift(`${source === 'ado' ? 'Azure DevOps' : 'clusters'}: ${report.error}`);
  if (findings.length > 0) out.push('', ...findings);
  const lead = Object.entries(snapshot.leadTime).filter(([, l]) => l.samples > 0);
  if (lead.length > 0) out.push('', `lead time push to live (p50/p90, nearest rank): ${lead.map(([ring, l]) => `ring ${ring} ${duration(l.p50Seconds)}/${duration(l.p90Seconds)} (${l.samples})`).join(', ')}`);
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

function text(c: string | { text: string }): string {
  return typeof c === 'string' ? c : c.text;
}

function duration(seconds: number | null): string {
  return seconds === null ? '-' : age(new Date(0).toISOString(), new Date(seconds * 1000)) || '0s';
}
