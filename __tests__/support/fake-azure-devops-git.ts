import { createHash, randomUUID } from 'crypto';
import * as http from 'http';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A stand-in for the Git REST API 7.1 routes the fleet reader uses (fleet-status/ado-reader.ts), on
 * 127.0.0.1. It behaves as the specification says, not as our client assumes; "spec" below is
 * MicrosoftDocs/vsts-rest-api-specs specification/git/7.1/git.json at commit adb28786a3e9349d5b3deb43eb2134b682c33bb2
 * (operationIds named at each route), "example" one of its httpExamples beside it. Only these routes exist:
 *   GET  {org}/{project}/_apis/git/repositories/{repo}                        Repositories_Get
 *   GET  …/refs                                                              Refs_List
 *   POST …/commitsbatch                                                      Commits_Get Commits Batch
 *   GET  …/commits/{commitId}/statuses                                       Statuses_List
 *   GET  …/diffs/commits                                                     Diffs_Get
 * Collections answer `{ count, value }`, as every example does (the spec's schema lists only the array).
 * Auth as the spec's securityDefinitions: `accessToken` is Basic with any user name and the PAT as password;
 * `oauth2` a Bearer token. A refused token answers 401 with the TF400813 body the SSH-key double uses
 * (fake-azure-devops.ts), or, as a fault, a 203 sign-in page or a redirect.
 */

export interface FakeGitStatus {
  id: number;
  /** GitStatusState (spec definitions GitStatus.state): notSet, pending, succeeded, failed, error, notApplicable. */
  state: 'notSet' | 'pending' | 'succeeded' | 'failed' | 'error' | 'notApplicable';
  description?: string;
  context: { genre?: string; name: string };
  creationDate: string;
  targetUrl?: string;
}

export interface FakeGitCommit {
  sha: string;
  parents: string[];
  author: string;
  /** Author and committer date. */
  date: string;
  /** When it reached the server (GitPushRef.date). */
  pushedAt: string;
  comment: string;
}

interface FakeRepository {
  id: string;
  organization: string;
  project: string;
  name: string;
  defaultBranch: string;
  commits: Map<string, FakeGitCommit>;
  /** Full ref name -> the object it points at; annotated tags carry the commit as `peeled`. */
  refs: Map<string, { objectId: string; peeled?: string }>;
  statuses: Map<string, FakeGitStatus[]>;
}

export interface GitRecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

export interface GitFault {
  readonly status: number;
  /** Only requests whose path contains this. */
  readonly pathContains?: string;
  readonly retryAfter?: string;
  readonly signInPage?: boolean;
}

export const basicAuth = (pat: string): string => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;

let shaCounter = 0;
/** A fresh 40-hex SHA (distinct across calls, as a git object id would be). */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(`${seed}:${++shaCounter}`).digest('hex');
}

export class FakeAzureDevOpsGit {
  public readonly requests: GitRecordedRequest[] = [];
  public readonly faults: GitFault[] = [];
  /** Added before every answer (the bench's network). */
  public latencyMs = 0;
  private readonly repositories = new Map<string, FakeRepository>();
  private readonly tokens = new Set<string>();
  private nextStatusId = 1;
  private server?: http.Server;

  constructor(tokens: readonly string[] = []) {
    for (const t of tokens) this.tokens.add(t);
  }

  /** Accepts this Authorization header value from now on. */
  public addToken(authorization: string): void {
    this.tokens.add(authorization);
  }

  /** Organisation, project and repository names are case-insensitive in URLs, as in Azure DevOps. */
  public addRepository(organization: string, project: string, name: string, defaultBranch = 'refs/heads/main'): void {
    this.repositories.set(`${organization}/${project}/${name}`.toLowerCase(), {
      id: randomUUID(),
      organization,
      project,
      name,
      defaultBranch,
      commits: new Map(),
      refs: new Map(),
      statuses: new Map(),
    });
  }

  private repo(organization: string, project: string, name: string): FakeRepository {
    const r = this.repositories.get(`${organization}/${project}/${name}`.toLowerCase());
    if (!r) throw new Error(`fake: no repository ${organization}/${project}/${name}`);
    return r;
  }

  /** Pushes `n` commits on top of the branch (creating it), one a minute from `start`; returns their SHAs, oldest first. */
  public push(repository: [string, string, string], branch: string, n: number, start: Date, comment = 'change'): string[] {
    const r = this.repo(...repository);
    const ref = `refs/heads/${branch}`;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const parent = r.refs.get(ref)?.objectId;
      const at = new Date(start.getTime() + i * 60000).toISOString();
      const sha = fakeSha(`${repository[2]}/${branch}`);
      r.commits.set(sha, { sha, parents: parent ? [parent] : [], author: 'Dana Developer', date: at, pushedAt: at, comment: `${comment} ${out.length + 1}\n\nbody` });
      r.refs.set(ref, { objectId: sha });
      out.push(sha);
    }
    return out;
  }

  /** Points a ref at a commit; an annotated tag gets a tag object of its own, the commit as its peeled id. */
  public setRef(repository: [string, string, string], name: string, commit: string, annotated = false): void {
    this.repo(...repository).refs.set(name, annotated ? { objectId: fakeSha('tag-object'), peeled: commit } : { objectId: commit });
  }

  public addStatus(repository: [string, string, string], commit: string, status: Omit<FakeGitStatus, 'id'>): void {
    const r = this.repo(...repository);
    const list = r.statuses.get(commit) ?? [];
    list.push({ ...status, id: this.nextStatusId++ });
    r.statuses.set(commit, list);
  }

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    return listenOnLoopback(this.server);
  }

  public async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** The commit and its ancestors, newest first by commit date: the order of the commitsBatch example (dates descending). */
  private history(r: FakeRepository, from: string): FakeGitCommit[] {
    const seen = new Map<string, FakeGitCommit>();
    const stack = [from];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      const c = r.commits.get(sha);
      if (!c || seen.has(sha)) continue;
      seen.set(sha, c);
      stack.push(...c.parents);
    }
    return [...seen.values()].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
  }

  /**
   * A commit's statuses, newest first: notification-controller takes the first status of a genre and name
   * in this list as the current one (internal/notifier/azure_devops.go, as read in
   * ../shared/reference/fleet-view-research.md §5.1), so the service returns the newest first.
   */
  private statusesOf(r: FakeRepository, sha: string): FakeGitStatus[] {
    return [...(r.statuses.get(sha) ?? [])].sort((a, b) => b.id - a.id);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const q = url.searchParams;
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
        this.requests.push({ method: req.method ?? '', path: url.pathname, query: q, status });
        const reply = (): void => {
          res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/html' : 'application/json', ...headers });
          res.end(payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload));
        };
        if (this.latencyMs > 0) setTimeout(reply, this.latencyMs);
        else reply();
      };
      const faultAt = this.faults.findIndex((f) => !f.pathContains || url.pathname.includes(f.pathContains));
      if (faultAt >= 0) {
        const fault = this.faults.splice(faultAt, 1)[0];
        if (fault.signInPage) return send(203, '<html><body>Sign in to your account</body></html>');
        // Rate limits: 429 with Retry-After (learn.microsoft.com azure/devops/integrate/concepts/rate-limits).
        return send(fault.status, { message: `fault ${fault.status}`, typeKey: 'FaultException' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      }
      if (!this.tokens.has(req.headers.authorization ?? '')) {
        return send(401, { message: "TF400813: The user '' is not authorized to access this resource.", typeKey: 'UnauthorizedRequestException' });
      }
      // Every route of the spec takes api-version; 7.1 is the version read.
      if (q.get('api-version') !== '7.1') return send(400, { message: 'api-version 7.1 expected by this double' });
      const m = url.pathname.match(/^\/([^/]+)\/([^/]+)\/_apis\/git\/repositories\/([^/]+)(\/.*)?$/);
      const r = m ? this.repositories.get(`${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}/${decodeURIComponent(m[3])}`.toLowerCase()) : undefined;
      if (!m) return send(404, { message: `no route ${req.method} ${url.pathname}` });
      if (!r) {
        return send(404, { message: `TF401019: The Git repository with name or identifier ${decodeURIComponent(m[3])} does not exist or you do not have permissions for the operation you are attempting.`, typeKey: 'GitRepositoryNotFoundException' });
      }
      const rest = m[4] ?? '';

      // Repositories_Get: GitRepository with defaultBranch.
      if (req.method === 'GET' && rest === '') return send(200, { id: r.id, name: r.name, project: { name: r.project }, defaultBranch: r.defaultBranch });

      // Refs_List: `filter` "A filter to apply to the refs (starts with)" (without the leading refs/, as in the
      // "Refs heads" example, filter=heads/); `peelTags` "Annotated tags will populate the PeeledObjectId property";
      // `$top` "cannot be bigger than 1000", pages continue by continuationToken (returned in the
      // x-ms-continuationtoken header).
      if (req.method === 'GET' && rest === '/refs') {
        const top = Number(q.get('$top') ?? 1000);
        if (top > 1000) return send(400, { message: '$top cannot be bigger than 1000' });
        const filter = `refs/${q.get('filter') ?? ''}`;
        const all = [...r.refs.entries()].filter(([name]) => name.startsWith(filter)).sort(([a], [b]) => a.localeCompare(b));
        const start = Number(q.get('continuationToken') ?? 0);
        const page = all.slice(start, start + top);
        const value = page.map(([name, ref]) => ({ name, objectId: ref.objectId, ...(q.get('peelTags') === 'true' && ref.peeled ? { peeledObjectId: ref.peeled } : {}) }));
        const more = start + top < all.length;
        return send(200, { count: value.length, value }, more ? { 'x-ms-continuationtoken': String(start + top) } : {});
      }

      // Commits_Get Commits Batch: body GitQueryCommitsCriteria (itemVersion, $top, includePushData); query
      // `$top` "cannot exceed 50,000", `$skip`, `includeStatuses` "True to include additional commit status
      // information". The spec names no default for $top; 100 here (our client always sends it). Embedded
      // statuses are capped at 1000 per commit, the bound Refs_List documents for the same option.
      if (req.method === 'POST' && rest === '/commitsbatch') {
        let body: any;
        try {
          body = JSON.parse(raw);
        } catch {
          return send(400, { message: 'the body must be a GitQueryCommitsCriteria' });
        }
        const top = Number(q.get('$top') ?? body?.$top ?? 100);
        if (top > 50000) return send(400, { message: '$top cannot exceed 50,000' });
        const skip = Number(q.get('$skip') ?? body?.$skip ?? 0);
        const v = body?.itemVersion;
        let from: string | undefined;
        if (!v) from = r.refs.get(r.defaultBranch)?.objectId;
        else if (v.versionType === 'commit') from = r.commits.has(v.version) ? v.version : undefined;
        else if (v.versionType === 'tag') from = r.refs.get(`refs/tags/${v.version}`)?.peeled ?? r.refs.get(`refs/tags/${v.version}`)?.objectId;
        else from = r.refs.get(`refs/heads/${v.version}`)?.objectId;
        if (!from) return send(404, { message: `TF401175: The version descriptor could not be resolved to a version in the repository ${r.name}`, typeKey: 'GitUnresolvableToCommitException' });
        const value = this.history(r, from)
          .slice(skip, skip + top)
          .map((c) => ({
            commitId: c.sha,
            author: { name: c.author, email: 'dana@contoso.example', date: c.date },
            committer: { name: c.author, email: 'dana@contoso.example', date: c.date },
            comment: c.comment,
            url: `http://fake/${r.organization}/_apis/git/repositories/${r.id}/commits/${c.sha}`,
            remoteUrl: `https://dev.azure.com/${r.organization}/${r.project}/_git/${r.name}/commit/${c.sha}`,
            ...(body?.includePushData ? { push: { pushId: 1, date: c.pushedAt } } : {}),
            ...(q.get('includeStatuses') === 'true' && r.statuses.has(c.sha) ? { statuses: this.statusesOf(r, c.sha).slice(0, 1000) } : {}),
          }));
        return send(200, { count: value.length, value });
      }

      // Statuses_List: `top` "Default is 1000", `skip` "Default is 0", `latestOnly` "only latest statuses grouped by
      // Context.Name and Context.Genre".
      const statuses = rest.match(/^\/commits\/([0-9a-f]{40})\/statuses$/);
      if (req.method === 'GET' && statuses) {
        const top = Number(q.get('top') ?? 1000);
        const skip = Number(q.get('skip') ?? 0);
        let list = this.statusesOf(r, statuses[1]);
        if (q.get('latestOnly') === 'true') list = list.filter((s, i) => list.findIndex((x) => x.context.name === s.context.name && x.context.genre === s.context.genre) === i);
        const value = list.slice(skip, skip + top);
        return send(200, { count: value.length, value });
      }

      // Diffs_Get: the merge base of base and target, and how far each is from it (the "Between commit IDs"
      // example: base c093714, target 2f27127, commonCommit = base, aheadCount 22, behindCount 0).
      if (req.method === 'GET' && rest === '/diffs/commits') {
        const base = q.get('baseVersion') ?? '';
        const target = q.get('targetVersion') ?? '';
        if (!r.commits.has(base) || !r.commits.has(target)) return send(404, { message: 'TF401175: The version descriptor could not be resolved to a version in the repository', typeKey: 'GitUnresolvableToCommitException' });
        const ofBase = new Set(this.history(r, base).map((c) => c.sha));
        const ofTarget = this.history(r, target);
        const common = ofTarget.find((c) => ofBase.has(c.sha))?.sha ?? null;
        const targetSet = new Set(ofTarget.map((c) => c.sha));
        return send(200, {
          allChangesIncluded: true,
          changeCounts: {},
          changes: [],
          commonCommit: common,
          baseCommit: base,
          targetCommit: target,
          aheadCount: ofTarget.filter((c) => !ofBase.has(c.sha)).length,
          behindCount: [...ofBase].filter((s) => !targetSet.has(s)).length,
        });
      }
      return send(404, { message: `no route ${req.method} ${url.pathname}` });
    });
  }
}
