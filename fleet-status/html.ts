/**
 * The fleet view as one self-contained HTML page (issue 19): `status --html FILE` writes it, a pipeline
 * archives it, anyone opens it from disk. Everything is inline (style, script, the snapshot as JSON) and
 * a Content-Security-Policy forbids every fetch, so the page works offline and cannot leak what it shows.
 *
 * The page is rendered here, in full: it reads and prints without script. The inline script only filters
 * (it hides rows and columns that are already there). Every string of the snapshot (config names, commit
 * messages, reasons, URLs) enters the markup through html``, which escapes each value it is given; the
 * script reads nothing but data attributes and never writes markup.
 */
import { createHash } from 'crypto';
import type { ClusterStatus, CommitStatus, FleetSnapshot, KustomizationState, KustomizationStatus, RepositoryRef, RingProgress } from './snapshot';
import { KUSTOMIZATION_STATES } from './snapshot';

export interface FleetPageOptions {
  /** Commits per repository in the ring timeline, newest first. @default 10 */
  readonly timelineCommits?: number;
  /** Straggler names shown per ring and commit before "and N more". @default 6 */
  readonly stragglersShown?: number;
}

// ---------------------------------------------------------------------------------------------------
// Escaping: one function for text and (double-quoted) attribute values, applied by html`` to every value.

/** Markup that is safe as it is: only html`` and this file's constants make it. */
class SafeHtml {
  constructor(readonly text: string) {}
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function part(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof SafeHtml) return p.text;
  if (Array.isArray(p)) return p.map(part).join('');
  return escapeHtml(String(p));
}

/** A template whose every interpolated value is escaped, unless it is markup html`` made. */
function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < parts.length; i++) out += part(parts[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * JSON inside <script type="application/json">: `<`, `>` and `&` as \u escapes so no string can end the
 * element or open a comment (HTML tokenizer, "script data" states), and every non-ASCII character
 * likewise (U+2028/U+2029 among them, which older JavaScript parsers take for line ends), so that the
 * page stays ASCII (see asciiMarkup). JSON.parse reads the escapes back to the same text.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The whole page in ASCII: markup's non-ASCII characters as character references. Chromium decodes an
 * ASCII document on its fast path and keeps it in 8-bit strings: decoding the page of 200 clusters took
 * 13 instead of 43 ms of CPU in a trace (bench/README.md). Only markup may hold non-ASCII when this runs: the style and the
 * scripts, where a reference would not be decoded, are ASCII already (CSS escapes, embedJson).
 */
function asciiMarkup(page: string): string {
  return page.replace(/[\ud800-\udbff][\udc00-\udfff]|[\u0080-\uffff]/g, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
}

/** A CSS string's content in ASCII: `✓` as `\2713 ` (the space ends the escape). */
const cssAscii = (text: string): string => text.replace(/[^\x00-\x7f]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `);

/** The URL when it is http(s), else null: a `javascript:` or `data:` URL from a status never becomes a link. */
export function httpUrl(text: string | null): string | null {
  if (text === null) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link when `url` is http(s), else the label as text (in a span of that class, when one is given). */
function link(url: string | null, label: Part, className?: string): SafeHtml {
  const href = httpUrl(url);
  const cls = className === undefined ? null : html` class="${className}"`;
  // No rel: the page opens nothing in a new window, and its referrer policy (no-referrer) already hides the file's path.
  if (href !== null) return html`<a${cls} href="${href}">${label}</a>`;
  return cls === null ? html`${label}` : html`<span${cls}>${label}</span>`;
}

// ---------------------------------------------------------------------------------------------------
// Words and times.

const ICONS: Readonly<Record<KustomizationState, string>> = { ready: '✓', progressing: '↻', failed: '✗', silent: '⌀', missing: '○', unknown: '?' };

/** Attention order: what needs a person first. Ready and progressing cells need one only when the sources disagree. */
const ATTENTION_RANK: Readonly<Partial<Record<KustomizationState, number>>> = { failed: 0, silent: 1, missing: 2, unknown: 4 };
const DISAGREEING_RANK = 3;

function attentionRank(k: KustomizationStatus): number | null {
  return ATTENTION_RANK[k.state] ?? (k.disagreement !== null ? DISAGREEING_RANK : null);
}

/** "45s", "12m", "3h 5m", "2d 4h": the flux CLI's ages, to the two largest units. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'; // a time the snapshot did not give as ISO 8601
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  const [big, bigUnit, small, smallUnit] = s < 86400 ? [Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'm'] : [Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h'];
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
}

const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;
const shortSha = (sha: string): string => sha.slice(0, 7);
const repoKey = (r: RepositoryRef): string => `${r.organization}/${r.project}/${r.name}`;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "2026-11-30 12:00 UTC" */
function utc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// ---------------------------------------------------------------------------------------------------
// The model the page shows: clusters in ring order, one matrix row per (cluster, Kustomization), one
// matrix column per ring: a fleet of 200 clusters scrolls down, not sideways.

/** A cluster where the page places it: `index` is its position in ring order. */
interface Column {
  readonly index: number;
  readonly ring: number;
  readonly cluster: ClusterStatus;
}

interface Row {
  readonly column: Column;
  /** null: the cluster reports no Kustomization, and still gets a row so that it is not lost. */
  readonly k: KustomizationStatus | null;
}

interface Attention {
  readonly rank: number;
  readonly column: Column;
  readonly row: KustomizationStatus | null; // null: the whole cluster (unreachable)
  readonly state: KustomizationState;
  readonly reason: string;
  readonly status: KustomizationStatus | null;
}

function columnsOf(snapshot: FleetSnapshot): Column[] {
  const byName = new Map(snapshot.clusters.map((c) => [c.name, c]));
  const ordered: { ring: number; cluster: ClusterStatus }[] = [];
  const placed = new Set<string>();
  for (const { ring, clusters } of snapshot.rings) {
    for (const name of clusters) {
      if (placed.has(name)) continue;
      placed.add(name);
      // A cluster the config expects that no reader returned still gets its rows, with nothing known.
      ordered.push({ ring, cluster: byName.get(name) ?? { name, ring, reachable: null, error: null, kustomizations: [] } });
    }
  }
  const rest = snapshot.clusters.filter((c) => !placed.has(c.name)).sort((a, b) => a.ring - b.ring);
  for (const cluster of rest) ordered.push({ ring: cluster.ring, cluster });
  // Grouped by ring in the rings' order (a cluster the rings do not list joins its ring's group), stable within it.
  const ringOrder = new Map<number, number>();
  for (const c of ordered) if (!ringOrder.has(c.ring)) ringOrder.set(c.ring, ringOrder.size);
  return ordered
    .map((c, i) => ({ c, i }))
    .sort((a, b) => ringOrder.get(a.c.ring)! - ringOrder.get(b.c.ring)! || a.i - b.i)
    .map(({ c }, index) => ({ index, ...c }));
}

const kustomizationKeyOf = (k: KustomizationStatus): string => `${repoKey(k.repository)}\n${k.namespace}/${k.name}`;

interface Model {
  readonly columns: Column[];
  /** The rings in rollout order: the matrix's columns. */
  readonly rings: number[];
  readonly rows: Row[];
  /** Distinct Kustomizations (repository, namespace, name) over the fleet. */
  readonly kustomizations: number;
  readonly attention: Attention[];
  readonly commitByKey: Map<string, CommitStatus>;
}

function modelOf(snapshot: FleetSnapshot): Model {
  const columns = columnsOf(snapshot);
  const rings = [...new Set(columns.map((c) => c.ring))];
  // Clusters in ring order, each cluster's Kustomizations in the order its config lists them.
  const rows: Row[] = columns.flatMap((column): Row[] => (column.cluster.kustomizations.length === 0 ? [{ column, k: null }] : column.cluster.kustomizations.map((k) => ({ column, k }))));
  const keys = new Set<string>();
  const firstSeen = new Map<string, number>();
  for (const { k } of rows) {
    if (k === null) continue;
    const key = kustomizationKeyOf(k);
    keys.add(key);
    if (!firstSeen.has(key)) firstSeen.set(key, firstSeen.size);
  }

  const attention: Attention[] = [];
  for (const column of columns) {
    const { cluster } = column;
    if (cluster.reachable === false) {
      attention.push({ rank: ATTENTION_RANK.unknown!, column, row: null, state: 'unknown', reason: `cluster unreachable: ${cluster.error ?? 'no reason given'}`, status: null });
      continue;
    }
    for (const k of cluster.kustomizations) {
      const rank = attentionRank(k);
      if (rank === null) continue;
      const reason = [k.reason, k.disagreement].filter((r) => r !== null).join('; ') || `${k.state}, no reason given`;
      attention.push({ rank, column, row: k, state: k.state, reason, status: k });
    }
  }
  attention.sort((a, b) => a.rank - b.rank || a.column.index - b.column.index || (a.row ? firstSeen.get(kustomizationKeyOf(a.row))! : -1) - (b.row ? firstSeen.get(kustomizationKeyOf(b.row))! : -1));

  const commitByKey = new Map(snapshot.commits.map((c) => [`${repoKey(c.repository)}@${c.sha}`, c]));
  return { columns, rings, rows, kustomizations: keys.size, attention, commitByKey };
}

// ---------------------------------------------------------------------------------------------------
// Sections.

function commitLink(model: Model, repository: RepositoryRef, sha: string | null): SafeHtml {
  if (sha === null) return html`<span class="none">no revision</span>`;
  const commit = model.commitByKey.get(`${repoKey(repository)}@${sha}`);
  return link(commit?.url ?? null, shortSha(sha), 'sha');
}

/** The state as a word; the style adds its icon (as CSS content with empty alternative text, so it is not read out twice). */
function stateWord(state: KustomizationState): SafeHtml {
  return html`<b class="s-${state}">${state}</b>`;
}

function targetLink(url: string | null): SafeHtml | null {
  if (url === null) return null;
  if (httpUrl(url) !== null) return html`<span class="target">${link(url, 'status')}</span>`;
  return html`<span class="target raw">status: <code>${url}</code></span>`;
}

/**
 * The cell of a row under its cluster's ring, kept small (the page of 200 clusters has a thousand, and
 * parsing them is most of what the page costs): the state's icon comes from the style sheet, the lines
 * from display: block.
 */
function matrixCell(model: Model, snapshot: FleetSnapshot, row: Row): SafeHtml {
  const { k } = row;
  if (k === null) {
    const unreachable = row.column.cluster.reachable === false;
    return html`<td data-state="none"${unreachable ? html` data-attn="1"` : null}><span class="none">no Kustomization reported</span></td>`;
  }
  const rank = attentionRank(k);
  const behind = k.commitsBehind === null ? null : k.commitsBehind === 0 ? 'up to date' : `${k.commitsBehind} behind`;
  const age = k.since === null ? null : ` for ${duration(secondsBetween(k.since, snapshot.generatedAt))}`;
  return html`<td data-state="${k.state}"${rank !== null ? html` data-attn="1" title="${k.reason ?? ''}"` : null}>${commitLink(model, k.repository, k.revision)}${stateWord(k.state)}${age}${behind !== null ? html`<span class="m">${behind}</span>` : null}${
    k.disagreement !== null ? html`<span class="dis">sources disagree</span>` : null
  }${targetLink(k.targetUrl)}</td>`;
}

/**
 * A ring's cell in a row of a cluster of another ring: a faint dash whose alternative text (CSS content's
 * "/ alt") reads "other ring". From the style sheet, not the markup: the page of 200 clusters in 5 rings has
 * 4000 of them.
 */
const NOT_THIS_RING = html`<td class="na"></td>`;

function matrix(model: Model, snapshot: FleetSnapshot): SafeHtml {
  const { rings, rows } = model;
  if (rows.length === 0) return html`<p>No cluster reports a Kustomization.</p>`;
  return html`<div class="scroll cv" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table id="matrix" class="matrix">
<caption id="matrix-caption">Live revision of each Kustomization on each cluster (rows, by cluster in rollout order), under its cluster's ring (columns)</caption>
<colgroup><col class="rowhead"></colgroup>${rings.map(() => html`<colgroup><col></colgroup>`)}
<thead>
<tr><th scope="col">Cluster and Kustomization</th>${rings.map((r) => html`<th scope="colgroup" data-ring-head="${r}" class="ring">Ring ${r}</th>`)}</tr>
</thead>
<tbody>
${rows.map((row, i) => {
    const { column, k } = row;
    const { cluster } = column;
    const first = i === 0 || rows[i - 1].column !== column;
    return html`<tr${first ? html` class="first"` : null} data-ring="${column.ring}" data-cluster="${cluster.name}" data-repo="${k ? repoKey(k.repository) : ''}"><th scope="row"><span class="cname">${cluster.name}</span> <span class="ringof">ring ${column.ring}</span>${
      cluster.reachable === false ? html` <span class="unreachable">unreachable</span>` : null
    }${k ? html` <span class="kname">${k.namespace}/${k.name}</span> <span class="repo">${k.repository.name}</span>` : null}</th>${rings.map((r) => (r === column.ring ? matrixCell(model, snapshot, row) : NOT_THIS_RING))}</tr>
`;
  })}</tbody>
</table>
</div>`;
}

function attentionSection(model: Model): SafeHtml {
  if (model.attention.length === 0) return html`<p class="allwell">No failed, silent, missing or disagreeing Kustomization, and every cluster answered.</p>`;
  return html`<div class="scroll" role="region" aria-labelledby="attention-caption" tabindex="0">
<table id="attention" class="attention">
<caption id="attention-caption">Failed, silent, missing and disagreeing Kustomizations and unreachable clusters, most urgent first</caption>
<thead><tr><th scope="col">State</th><th scope="col">Cluster</th><th scope="col">Ring</th><th scope="col">Kustomization</th><th scope="col">Live</th><th scope="col">Reason</th></tr></thead>
<tbody>
${model.attention.map((a) => html`<tr data-ring="${a.column.ring}" data-cluster="${a.column.cluster.name}" data-repo="${a.row ? repoKey(a.row.repository) : ''}" data-state="${a.state}">
<td>${stateWord(a.state)}${a.status?.disagreement ? html` <span class="dis">sources disagree</span>` : null}</td>
<th scope="row">${a.column.cluster.name}</th><td>${a.column.ring}</td>
<td>${a.row ? html`<span class="kname">${a.row.namespace}/${a.row.name}</span> <span class="repo">${a.row.repository.name}</span>` : html`<span class="none">all</span>`}</td>
<td>${a.status && a.row ? commitLink(model, a.row.repository, a.status.revision) : null}</td>
<td class="reason">${a.reason}${a.status ? targetLink(a.status.targetUrl) : null}</td></tr>
`)}</tbody>
</table>
</div>`;
}

function ringProgress(p: RingProgress | undefined, pushedAt: string | null, stragglersShown: number): SafeHtml {
  if (p === undefined) return html`<td class="none">—</td>`;
  const after = (at: string | null) => (at !== null && pushedAt !== null ? html` <span class="after">after ${duration(secondsBetween(pushedAt, at))}</span>` : null);
  if (p.completeAt !== null) return html`<td class="tl done"><span class="icon" aria-hidden="true">✓</span> complete${after(p.completeAt)}</td>`;
  const names = p.stragglers.slice(0, stragglersShown);
  const more = p.stragglers.length - names.length;
  const waiting = p.stragglers.length === 0 ? null : html`<span class="waiting">waiting: ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}</span>`;
  if (p.reachedAt !== null) return html`<td class="tl part"><span class="icon" aria-hidden="true">◐</span> ${p.succeeded} of ${p.expected}, reached${after(p.reachedAt)} ${waiting}</td>`;
  return html`<td class="tl not"><span class="icon" aria-hidden="true">○</span> not reached (0 of ${p.expected}) ${waiting}</td>`;
}

function timeline(model: Model, snapshot: FleetSnapshot, options: Required<FleetPageOptions>): SafeHtml {
  const ringNumbers = model.rings;
  const sections = snapshot.repositories.map((repository, i) => {
    const key = repoKey(repository);
    const all = snapshot.commits.filter((c) => repoKey(c.repository) === key);
    const shown = all.slice(0, options.timelineCommits);
    return html`<section class="timeline cv" data-repo="${key}" aria-labelledby="tl-${i}">
<h3 id="tl-${i}">${link(repository.url, repository.name)} <span class="ref">${repository.ref ?? ''}</span></h3>
${shown.length === 0 ? html`<p>No commit was read.</p>` : html`<div class="scroll" role="region" aria-label="Ring timeline of ${repository.name}" tabindex="0"><table>
<caption>The last ${plural(shown.length, 'commit', 'commits')} of ${all.length} read, newest first: when each ring was reached and completed</caption>
<thead><tr><th scope="col">Commit</th><th scope="col">Pushed</th>${ringNumbers.map((r) => html`<th scope="col">Ring ${r}</th>`)}</tr></thead>
<tbody>
${shown.map((c) => html`<tr><th scope="row">${commitLink(model, c.repository, c.sha)} <span class="msg">${c.message ?? ''}</span>${c.author !== null ? html` <span class="author">${c.author}</span>` : null}</th>
<td>${c.pushedAt !== null ? html`<time datetime="${c.pushedAt}">${duration(secondsBetween(c.pushedAt, snapshot.generatedAt))} ago</time>` : 'unknown'}</td>${ringNumbers.map((r) => ringProgress(c.rings[String(r)], c.pushedAt, options.stragglersShown))}</tr>
`)}</tbody></table></div>`}
</section>`;
  });
  return sections.length === 0 ? html`<p>No repository was read.</p>` : html`${sections}`;
}

/** p50 and p90 per ring as horizontal bars: a few dozen bytes of SVG, no library. */
function leadTimeChart(model: Model, snapshot: FleetSnapshot): SafeHtml {
  const rings = model.rings.map((ring) => ({ ring, lead: snapshot.leadTime[String(ring)] }));
  const max = Math.max(1, ...rings.map((r) => r.lead?.p90Seconds ?? r.lead?.p50Seconds ?? 0));
  const [labelWidth, barWidth, rowHeight, top] = [70, 300, 30, 8];
  const width = labelWidth + barWidth + 230;
  const height = top + rings.length * rowHeight + 8;
  const words = rings.map(({ ring, lead }) =>
    lead === undefined || lead.p50Seconds === null
      ? `Ring ${ring}: no commit has reached it`
      : `Ring ${ring}: p50 ${duration(lead.p50Seconds)}, p90 ${lead.p90Seconds === null ? 'unknown' : duration(lead.p90Seconds)} (${plural(lead.samples, 'commit', 'commits')})`,
  );
  const bar = (seconds: number | null) => (seconds === null ? 0 : Math.max(2, Math.round((seconds / max) * barWidth)));
  return html`<figure class="lead cv">
<svg role="img" aria-labelledby="lead-title lead-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="lead-title">Lead time from push to ring, p50 and p90</title>
<desc id="lead-desc">${words.join('. ')}</desc>
${rings.map(({ ring, lead }, i) => {
    const y = top + i * rowHeight;
    return html`<g>
<text x="0" y="${y + 17}" class="label">Ring ${ring}</text>
<rect x="${labelWidth}" y="${y + 4}" width="${bar(lead?.p90Seconds ?? null)}" height="18" class="p90"/>
<rect x="${labelWidth}" y="${y + 4}" width="${bar(lead?.p50Seconds ?? null)}" height="18" class="p50"/>
<text x="${labelWidth + barWidth + 10}" y="${y + 17}" class="label">${words[i].replace(/^Ring \d+: /, '')}</text>
</g>`;
  })}
</svg>
<figcaption><span class="key p50"></span> p50 <span class="key p90"></span> p90: time from the push to the first cluster of the ring running the commit.</figcaption>
</figure>`;
}

function filters(model: Model, snapshot: FleetSnapshot): SafeHtml {
  const counts = new Map<KustomizationState, number>();
  for (const c of model.columns) for (const k of c.cluster.kustomizations) counts.set(k.state, (counts.get(k.state) ?? 0) + 1);
  const attentionCells = model.columns.reduce((n, c) => n + c.cluster.kustomizations.filter((k) => attentionRank(k) !== null).length, 0);
  const ringNumbers = model.rings;
  return html`<form id="filters" class="filters" hidden aria-label="Filters">
<label>Ring <select id="f-ring"><option value="">all rings</option>${ringNumbers.map((r) => html`<option value="${r}">Ring ${r}</option>`)}</select></label>
<label>Cluster <select id="f-cluster"><option value="">all clusters</option>${model.columns.map((c) => html`<option value="${c.cluster.name}">${c.cluster.name}</option>`)}</select></label>
<label>Repository <select id="f-repo"><option value="">all repositories</option>${snapshot.repositories.map((r) => html`<option value="${repoKey(r)}">${r.project}/${r.name}</option>`)}</select></label>
<fieldset><legend>State</legend>
<button type="button" data-state="" aria-pressed="true">all</button>
${attentionCells > 0 ? html`<button type="button" data-state="attention" aria-pressed="false">needs attention (${attentionCells})</button>` : null}
${KUSTOMIZATION_STATES.filter((s) => counts.has(s)).map((s) => html`<button type="button" data-state="${s}" aria-pressed="false">${stateWord(s)} (${counts.get(s)!})</button>
`)}</fieldset>
<p id="f-count" class="count" aria-live="polite">Showing ${model.rows.length} of ${model.rows.length} rows (${model.columns.length} of ${model.columns.length} clusters)</p>
</form>`;
}

function sourcesLine(snapshot: FleetSnapshot): SafeHtml {
  const one = (label: string, s: FleetSnapshot['sources']['ado'] | undefined) =>
    s === undefined || !s.read ? html`${label}: not read` : s.error === null ? html`${label}: read` : html`${label}: <span class="warn">${s.error}</span>`;
  return html`${one('Azure DevOps', snapshot.sources.ado)}; ${one('clusters', snapshot.sources.cluster)}`;
}

// ---------------------------------------------------------------------------------------------------
// The page.

/**
 * Light and dark from the system; print in light, without the filters and scroll boxes. The matrix, the
 * timelines and the chart are laid out and painted only when they come into view (.cv,
 * content-visibility: auto): a big fleet's page opens on its headline and what needs attention.
 */
const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;--link:#0550ae;--focus:#0969da;
--ready:#1a7f37;--progressing:#0550ae;--failed:#cf222e;--silent:#9a6700;--missing:#8250df;--unknown:#57606a;--attn:#fff8c5;--p50:#0969da;--p90:#9ec5f8}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--head:#151b23;--link:#4493f8;--focus:#4493f8;
--ready:#3fb950;--progressing:#4493f8;--failed:#ff7b72;--silent:#d29922;--missing:#bc8cff;--unknown:#9198a1;--attn:#2e2a12;--p50:#4493f8;--p90:#1f4a80}}
*{box-sizing:border-box}
body{margin:0;padding:1rem 1.25rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--link)}a:focus-visible,button:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code,.sha{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em}
.headline{font-size:1.1rem;font-weight:600;margin:.25rem 0}.headline.bad{color:var(--failed)}.headline.good{color:var(--ready)}
.meta{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0;color:var(--muted)}.meta dt{font-weight:600}.meta dd{margin:0 0 0 .35rem;word-break:break-all}.meta div{display:flex}
.warn{color:var(--failed)}
.filters{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem .75rem;margin:.75rem 0;border:1px solid var(--line);border-radius:6px;background:var(--head)}
.filters[hidden]{display:none}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem;align-items:center}.filters legend{float:left;margin-right:.35rem}
select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.2rem .5rem}
button{cursor:pointer}button[aria-pressed="true"]{background:var(--fg);color:var(--bg);border-color:var(--fg)}
.count{margin:0;color:var(--muted)}
.scroll{overflow:auto;max-width:100%;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;font-size:13px}caption{text-align:left;padding:.4rem .6rem;color:var(--muted)}
th,td{border-top:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
thead th{background:var(--head);white-space:nowrap}th.ring{text-align:left;border-left:2px solid var(--line)}
.matrix tbody th{position:sticky;left:0;background:var(--bg);z-index:1}.matrix thead th:first-child{position:sticky;left:0;z-index:2}
.matrix td{border-left:1px solid var(--line)}.matrix td>.sha,.matrix td>.none,.matrix td>span{display:block}.matrix th,.matrix td{overflow-wrap:anywhere}.matrix thead th{white-space:normal}.matrix td[data-attn]{background:var(--attn)}
.matrix tr.first>*{border-top:2px solid var(--line)}.matrix td.na::before{content:"\\2014" / "other ring";color:var(--muted)}.cname{font-weight:600}.ringof{color:var(--muted);font-size:.9em}.matrix .kname{display:block}
.kname{font-weight:600;word-break:break-all}.repo,.author,.ref,.after,.waiting,.none,.matrix time{color:var(--muted)}.repo,.author{display:block;font-size:.9em;font-weight:400}
b[class^="s-"]{white-space:nowrap}${KUSTOMIZATION_STATES.map((s) => `.s-${s}{color:var(--${s})}.s-${s}::before{content:"${cssAscii(ICONS[s])} " / ""}`).join('')}
.m{color:var(--muted)}
.dis{color:var(--silent);font-weight:600}.target.raw code{word-break:break-all}.unreachable{display:block;color:var(--failed);font-weight:400}
.attention .reason{max-width:40rem;word-break:break-word}.attention td{white-space:normal}.attention th{white-space:nowrap}
.tl{min-width:9rem}.tl.done .icon{color:var(--ready)}.tl.part .icon{color:var(--progressing)}.tl.not .icon{color:var(--muted)}.waiting{display:block;font-size:.9em}
.msg{display:block;max-width:28rem}
.lead{margin:0}.lead svg{max-width:100%;height:auto}.lead .label{fill:var(--fg);font-size:13px}.lead .p50{fill:var(--p50)}.lead .p90{fill:var(--p90)}
.key{display:inline-block;width:.8em;height:.8em;vertical-align:middle}.key.p50{background:var(--p50)}.key.p90{background:var(--p90)}
figcaption{color:var(--muted);font-size:.9em}
.cv{content-visibility:auto;contain-intrinsic-size:auto 40rem}
footer{margin-top:2rem;color:var(--muted);font-size:.9em}
@media print{.cv{content-visibility:visible}:root{color-scheme:light;--bg:#fff;--fg:#000;--muted:#444;--line:#999;--head:#eee;--attn:#fff3b0;--link:#000}
body{padding:0;font-size:9pt}.filters{display:none}.scroll{overflow:visible;border:0}.matrix tbody th{position:static}
table{font-size:8pt}thead{display:table-header-group}.matrix{table-layout:auto!important;width:auto!important}.matrix col{width:auto!important}tr{break-inside:avoid}a{text-decoration:none}h2{break-after:avoid}}
`;

/**
 * The filters: hide the rows already in the page, and the ring columns left with no row shown; reads data
 * attributes, writes `hidden` and textContent.
 */
const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var ring = document.getElementById('f-ring'), cluster = document.getElementById('f-cluster'), repo = document.getElementById('f-repo');
  var count = document.getElementById('f-count');
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var ringHeads = all('#matrix th[data-ring-head]'), ringNames = ringHeads.map(function (th) { return th.dataset.ringHead; });
  var rows = all('#matrix tbody tr'), attention = all('#attention tbody tr'), sections = all('.timeline[data-repo]');
  // A row's cells are in ring order (cell i is under ring header i); the one of its own ring is the one with a state.
  var cellsOf = rows.map(function (tr) { return Array.prototype.slice.call(tr.querySelectorAll('td')); });
  var stateOf = rows.map(function (tr) { return tr.querySelector('td[data-state]'); });
  var clusterCount = new Set(rows.map(function (tr) { return tr.dataset.cluster; })).size;
  var buttons = all('#filters button[data-state]');
  var state = '';
  function matches(td) {
    return state === '' || (state === 'attention' ? td.hasAttribute('data-attn') : td.getAttribute('data-state') === state);
  }
  function apply() {
    var r = ring.value, c = cluster.value, p = repo.value;
    var ringShown = {}, clustersShown = new Set(), shownRows = 0;
    var rowShown = rows.map(function (tr, i) {
      var d = tr.dataset;
      var ok = (r === '' || d.ring === r) && (c === '' || d.cluster === c) && (p === '' || d.repo === p) && matches(stateOf[i]);
      if (ok) { ringShown[d.ring] = true; clustersShown.add(d.cluster); shownRows++; }
      return ok;
    });
    var colShown = ringNames.map(function (n) { return ringShown[n] === true; });
    rows.forEach(function (tr, i) {
      tr.hidden = !rowShown[i];
      if (rowShown[i]) cellsOf[i].forEach(function (td, col) { td.hidden = !colShown[col]; });
    });
    ringHeads.forEach(function (th, i) { th.hidden = !colShown[i]; });
    attention.forEach(function (tr) {
      var d = tr.dataset;
      tr.hidden = !((r === '' || d.ring === r) && (c === '' || d.cluster === c) && (p === '' || d.repo === p || d.repo === '') && (state === '' || state === 'attention' || d.state === state));
    });
    sections.forEach(function (s) { s.hidden = !(p === '' || s.dataset.repo === p); });
    count.textContent = 'Showing ' + shownRows + ' of ' + rows.length + ' rows (' + clustersShown.size + ' of ' + clusterCount + ' clusters)';
  }
  buttons.forEach(function (b) {
    b.addEventListener('click', function () {
      state = b.dataset.state;
      buttons.forEach(function (o) { o.setAttribute('aria-pressed', String(o === b)); });
      apply();
    });
  });
  [ring, cluster, repo].forEach(function (s) { s.addEventListener('change', apply); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  // Everything starts shown (the count says so already): nothing to apply until a filter changes,
  // and touching thousands of cells here would make the browser restyle them all before the first paint.
  form.hidden = false;
  performance.mark('fleet-page-ready');
})();
`;

const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
/** Nothing may be fetched, not even by markup that escaped escaping: only this style and this script run. */
const csp = (style: string): string => `default-src 'none'; style-src ${cspHash(style)}; script-src ${cspHash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

/**
 * The matrix's width, so that the browser can lay it out from its first row (table-layout: fixed)
 * instead of measuring every cell first (for 200 clusters, layout took about a third less time in
 * Chromium's metrics; bench/README.md).
 */
const matrixStyle = (columns: number): string => `.matrix{table-layout:fixed;width:${ROW_HEAD_REM + columns * COLUMN_REM}rem}.matrix col{width:${COLUMN_REM}rem}.matrix col.rowhead{width:${ROW_HEAD_REM}rem}`;
const [ROW_HEAD_REM, COLUMN_REM] = [16, 11];

/** One self-contained page of the fleet as `snapshot` saw it. */
export function renderFleetPage(snapshot: FleetSnapshot, options: FleetPageOptions = {}): string {
  const opts: Required<FleetPageOptions> = { timelineCommits: options.timelineCommits ?? 10, stragglersShown: options.stragglersShown ?? 6 };
  const model = modelOf(snapshot);
  const needing = new Set(model.attention.map((a) => a.column.cluster.name)).size;
  const headline =
    model.columns.length === 0
      ? html`<p class="headline">The snapshot has no cluster</p>`
      : needing === 0
      ? html`<p class="headline good">All ${plural(model.columns.length, 'cluster is', 'clusters are')} well</p>`
      : html`<p class="headline bad">${needing} ${needing === 1 ? 'cluster needs' : 'clusters need'} attention</p>`;
  const { kustomizations } = model;
  const style = STYLE + matrixStyle(model.rings.length);
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(style)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Fleet status, ${utc(snapshot.generatedAt)}</title>
<style>${new SafeHtml(style)}</style>
</head>
<body>
<header>
<h1>Fleet status</h1>
${headline}
<dl class="meta">
<div><dt>Snapshot</dt><dd><time datetime="${snapshot.generatedAt}">${utc(snapshot.generatedAt)}</time></dd></div>
<div><dt>Config</dt><dd><code>${snapshot.configHash}</code></dd></div>
<div><dt>Fleet</dt><dd>${plural(model.columns.length, 'cluster', 'clusters')} in ${plural(model.rings.length, 'ring', 'rings')}, ${plural(kustomizations, 'Kustomization', 'Kustomizations')}, ${plural(snapshot.repositories.length, 'repository', 'repositories')}</dd></div>
<div><dt>Sources</dt><dd>${sourcesLine(snapshot)}</dd></div>
</dl>
</header>
<main>
${filters(model, snapshot)}
<section aria-labelledby="h-attention"><h2 id="h-attention">Needs attention</h2>
${attentionSection(model)}
</section>
<section aria-labelledby="h-matrix"><h2 id="h-matrix">Fleet matrix</h2>
${matrix(model, snapshot)}
</section>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">Ring timeline</h2>
${timeline(model, snapshot, opts)}
</section>
<section aria-labelledby="h-lead"><h2 id="h-lead">Lead time per ring</h2>
${leadTimeChart(model, snapshot)}
</section>
</main>
<footer>Made by cdktf-flux-gitops from snapshot ${snapshot.schema}. The snapshot is embedded below as JSON (element #fleet-snapshot).</footer>
<script type="application/json" id="fleet-snapshot">${new SafeHtml(embedJson(snapshot))}</script>
<script>${new SafeHtml(SCRIPT)}</script>
</body>
</html>
`;
  return asciiMarkup(page.text);
}
