/**
 * Reads what Azure DevOps keeps of the fleet: per repository and ref the clusters follow, the ref's head,
 * the newest commits (author, push time, message) with their commit statuses, and how far behind the
 * head a revision outside those commits is. Git REST API 7.1, as MicrosoftDocs/vsts-rest-api-specs
 * specification/git/7.1/git.json (commit adb28786) describes it:
 *   - Refs - List (`GET …/refs?filter=heads/main`, `filter` "starts with", `peelTags` fills peeledObjectId
 *     for annotated tags, `$top` at most 1000 with `continuationToken`) for the head;
 *   - Repositories - Get for the default branch of a repository the config names without a ref;
 *   - Commits - Get Commits Batch (`POST …/commitsbatch?$top=&includeStatuses=true`, body
 *     GitQueryCommitsCriteria with `itemVersion` and `includePushData`) for the newest commits and their
 *     statuses in one call per repository and ref, however many clusters and commits;
 *   - Statuses - List (`GET …/commits/{id}/statuses?top=&skip=`, top defaults to 1000) only for a commit
 *     whose embedded statuses may be cut short (1000 or more: Refs - List documents "up to the first 1000
 *     commit statuses" for the same option, which we take as the bound here too);
 *   - Diffs - Get (`GET …/diffs/commits?baseVersion=&targetVersion=`: aheadCount, behindCount, commonCommit)
 *     for a revision older than the commits read.
 * So the calls grow with repositories x refs (and with distinct old revisions), not with clusters x commits.
 */
import { AzureDevOpsReadError, azureDevOpsReader, AzureDevOpsReader, AzureDevOpsReadOptions } from '../azure-devops/rest';
import type { ExpectedFleet, ExpectedRef, ExpectedSource } from './expected';
import type { RepositoryRef } from './snapshot';

export const API_VERSION = '7.1';
/** Statuses - List's default and largest page. */
export const STATUS_PAGE = 1000;
/** Commits read per repository and ref unless told otherwise. */
export const DEFAULT_COMMITS = 50;

export interface AdoStatus {
  readonly id: number | null;
  /** notSet, pending, succeeded, failed, error or notApplicable (GitStatusState). */
  readonly state: string;
  readonly description: string | null;
  readonly genre: string | null;
  readonly name: string;
  readonly creationDate: string | null;
  readonly targetUrl: string | null;
}

export interface AdoCommit {
  readonly sha: string;
  readonly author: string | null;
  /** When it was pushed (the push's date), else the committer's date. */
  readonly pushedAt: string | null;
  readonly message: string | null;
  readonly url: string | null;
  readonly statuses: readonly AdoStatus[];
}

export interface AdoComparison {
  /** Commits of the head that the revision lacks (Diffs - Get aheadCount, the head being the target). */
  readonly behind: number;
  /** The revision is an ancestor of the head (commonCommit is the revision). */
  readonly ancestor: boolean;
}

export interface AdoSourceReading extends ExpectedSource {
  /** The head of the ref (for a semver range, the newest matching tag's commit). */
  readonly head: string | null;
  /** The ref the head was read from (`refs/heads/main`, `refs/tags/v1.2.0`). */
  readonly headRef: string | null;
  readonly repositoryUrl: string;
  /** Newest first: the history walk from the head. */
  readonly commits: readonly AdoCommit[];
  /** Revisions older than the commits read, compared with the head. */
  readonly comparisons: Readonly<Record<string, AdoComparison>>;
  /** Why this repository could not be read; null when it was. */
  readonly error: string | null;
}

export interface AdoReading {
  /** Whether any repository answered. */
  readonly reachable: boolean;
  /** The first failure, or the one that stopped every read (a refused token); null when all answered. */
  readonly error: string | null;
  readonly sources: readonly AdoSourceReading[];
  /** HTTP calls made. */
  readonly calls: number;
}

export interface AdoReadOptions extends AzureDevOpsReadOptions {
  /** Commits read per repository and ref. @default 50 */
  readonly commits?: number;
  /** Revisions the clusters run, per source key: those older than the commits read are compared with the head. */
  readonly revisions?: (sourceKey: string) => readonly string[];
}

const enc = encodeURIComponent;

// The project's semver (config/semver.ts reads ranges with it too); it ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const valid = require('semver/functions/valid') as (version: string) => string | null;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const maxSatisfying = require('semver/ranges/max-satisfying') as (versions: string[], range: string) => string | null;

function repoApi(devUrl: string, r: RepositoryRef): string {
  return `${devUrl}/${enc(r.organization)}/${enc(r.project)}/_apis/git/repositories/${enc(r.name)}`;
}

/** Reads every source of the fleet; a repository that cannot be read is a reading with an error, never a rejection. */
export async function readAzureDevOps(fleet: ExpectedFleet, options: AdoReadOptions): Promise<AdoReading> {
  let client: AzureDevOpsReader;
  try {
    client = azureDevOpsReader(options);
  } catch (e) {
    return { reachable: false, error: (e as Error).message, sources: [], calls: 0 };
  }
  const sources = await Promise.all(fleet.sources.map((s) => readSource(client, s, options)));
  const failed = sources.filter((s) => s.error !== null);
  return {
    reachable: sources.length === 0 || failed.length < sources.length,
    // One cause for every repository (a refused token) is said once.
    error: failed.length === 0 ? null : failed.length === sources.length && new Set(failed.map((s) => s.error)).size === 1 ? failed[0].error : `${failed.length} of ${sources.length} repositories could not be read; first: ${failed[0].error}`,
    sources,
    calls: client.calls(),
  };
}

async function readSource(client: AzureDevOpsReader, source: ExpectedSource, options: AdoReadOptions): Promise<AdoSourceReading> {
  const api = repoApi(client.devUrl, source.repository);
  const r = source.repository;
  const repositoryUrl = `${client.devUrl}/${enc(r.organization)}/${enc(r.project)}/_git/${enc(r.name)}`;
  const empty = { ...source, head: null, headRef: null, repositoryUrl, commits: [], comparisons: {} };
  try {
    const { head, headRef } = await readHead(client, api, source.ref);
    if (!head) return { ...empty, headRef, error: `${describeRef(source.ref)} is not in ${r.organization}/${r.project}/${r.name}` };
    const top = options.commits ?? DEFAULT_COMMITS;
    const { body } = await client.post(`${api}/commitsbatch?$top=${top}&includeStatuses=true&api-version=${API_VERSION}`, {
      itemVersion: { version: head, versionType: 'commit' },
      $top: top,
      includePushData: true,
    });
    const raw: any[] = Array.isArray(body?.value) ? body.value : [];
    const commits = await Promise.all(
      raw.map(async (c): Promise<AdoCommit> => {
        let statuses: any[] = Array.isArray(c.statuses) ? c.statuses : [];
        if (statuses.length >= STATUS_PAGE) statuses = await readAllStatuses(client, api, c.commitId);
        return {
          sha: String(c.commitId),
          author: c.author?.name ?? null,
          pushedAt: c.push?.date ?? c.committer?.date ?? null,
          message: typeof c.comment === 'string' ? c.comment.split('\n')[0] : null,
          url: c.remoteUrl ?? `${repositoryUrl}/commit/${c.commitId}`,
          statuses: statuses.map(toStatus),
        };
      }),
    );
    const inWindow = new Set(commits.map((c) => c.sha));
    const older = [...new Set((options.revisions?.(source.key) ?? []).filter((sha) => /^[0-9a-f]{40}$/.test(sha) && !inWindow.has(sha)))];
    const comparisons: Record<string, AdoComparison> = {};
    await Promise.all(
      older.map(async (sha) => {
        const q = `baseVersion=${sha}&baseVersionType=commit&targetVersion=${head}&targetVersionType=commit&$top=1&api-version=${API_VERSION}`;
        const diff = (await client.get(`${api}/diffs/commits?${q}`)).body;
        if (typeof diff?.aheadCount === 'number') comparisons[sha] = { behind: diff.aheadCount, ancestor: diff.commonCommit === sha };
      }),
    );
    return { ...source, head, headRef, repositoryUrl, commits, comparisons, error: null };
  } catch (e) {
    if (!(e instanceof AzureDevOpsReadError)) throw e;
    return { ...empty, error: e.status === 404 ? `${r.organization}/${r.project}/${r.name} does not exist, or the token cannot read it (HTTP 404)` : e.message };
  }
}

function toStatus(s: any): AdoStatus {
  return {
    id: typeof s.id === 'number' ? s.id : null,
    state: String(s.state ?? 'notSet'),
    description: s.description ?? null,
    genre: s.context?.genre ?? null,
    name: String(s.context?.name ?? ''),
    creationDate: s.creationDate ?? null,
    targetUrl: s.targetUrl ?? null,
  };
}

async function readAllStatuses(client: AzureDevOpsReader, api: string, sha: string): Promise<any[]> {
  const all: any[] = [];
  for (let skip = 0; ; skip += STATUS_PAGE) {
    const { body } = await client.get(`${api}/commits/${sha}/statuses?top=${STATUS_PAGE}&skip=${skip}&api-version=${API_VERSION}`);
    const page: any[] = Array.isArray(body?.value) ? body.value : [];
    all.push(...page);
    if (page.length < STATUS_PAGE) return all;
  }
}

function describeRef(ref: ExpectedRef): string {
  return ref.kind === 'default' ? 'the default branch' : `${ref.kind} ${JSON.stringify(ref.value)}`;
}

/** Every ref whose name starts with `filter` (Refs - List pages by continuationToken, in a header). */
async function listRefs(client: AzureDevOpsReader, api: string, filter: string): Promise<any[]> {
  const refs: any[] = [];
  let token: string | null = null;
  do {
    const q: string = `filter=${enc(filter)}&peelTags=true&$top=1000${token ? `&continuationToken=${enc(token)}` : ''}&api-version=${API_VERSION}`;
    const { body, headers } = await client.get(`${api}/refs?${q}`);
    refs.push(...(Array.isArray(body?.value) ? body.value : []));
    token = headers?.get('x-ms-continuationtoken') ?? null;
  } while (token);
  return refs;
}

/** The commit a ref names: an annotated tag's peeledObjectId, else objectId. */
const commitOf = (ref: any): string | null => ref?.peeledObjectId ?? ref?.objectId ?? null;

async function readHead(client: AzureDevOpsReader, api: string, ref: ExpectedRef): Promise<{ head: string | null; headRef: string | null }> {
  if (ref.kind === 'commit') return { head: ref.value.toLowerCase(), headRef: null };
  if (ref.kind === 'semver') {
    const tags = await listRefs(client, api, 'tags/');
    const byVersion = new Map<string, any>();
    for (const t of tags) {
      const version = valid(String(t.name).replace(/^refs\/tags\//, ''));
      if (version && !byVersion.has(version)) byVersion.set(version, t);
    }
    // Flux reads the range as a Masterminds constraint, whose commas mean what npm's spaces do (config/semver.ts).
    const best = maxSatisfying([...byVersion.keys()], ref.value.replace(/,/g, ' '));
    const tag = best ? byVersion.get(best) : undefined;
    return { head: commitOf(tag), headRef: tag?.name ?? null };
  }
  let full: string;
  if (ref.kind === 'default') {
    const { body } = await client.get(`${api}?api-version=${API_VERSION}`);
    if (!body?.defaultBranch) return { head: null, headRef: null };
    full = String(body.defaultBranch);
  } else {
    full = ref.kind === 'branch' ? `refs/heads/${ref.value}` : ref.kind === 'tag' ? `refs/tags/${ref.value}` : ref.value.startsWith('refs/') ? ref.value : `refs/${ref.value}`;
  }
  // `filter` matches by prefix: heads/main also lists heads/main-old, so the name must match exactly.
  const found = (await listRefs(client, api, full.replace(/^refs\//, ''))).find((r) => r.name === full);
  return { head: commitOf(found), headRef: found ? full : null };
}
