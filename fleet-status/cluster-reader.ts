/**
 * Reads the Flux Kustomizations of each cluster through its access (kubeconfig context, or AKS via kubelogin),
 * the "truth" source of the fleet status beside the Azure DevOps commit statuses.
 *
 * One list per cluster, all namespaces: GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations, in pages of
 * LIST_LIMIT with `continue` (Kubernetes API concepts, "Retrieving large results sets in chunks":
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks). A
 * reader allowed only in the Flux namespace (403 at cluster scope) lists that namespace instead.
 */
import * as http from 'http';
import * as https from 'https';
import type { ClusterConfig } from '../config/schema';
import { aksServer } from './aks-server';
import { AccessError, aksConnection, ExecCredential, KubeconfigFiles, kubeconfigConnection, KubeConnection, runExecPlugin } from './kube-connection';
import type { ClusterKustomizationReading, ClusterReading, HistoryEntry, ReadyCondition } from './readings';

export interface ClusterReaderOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Per call. @default 10000 */
  readonly timeoutMs?: number;
  /** Clusters read at once. @default 8 */
  readonly concurrency?: number;
  /** Further tries of a call answered 429 or 5xx, each after its Retry-After (else 1 s, 2 s, 4 s). @default 3 */
  readonly retries?: number;
  /** Waits between tries (tests record them, as azure-devops/rest.ts's readers do). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const KUSTOMIZATIONS_PATH = '/apis/kustomize.toolkit.fluxcd.io/v1';
/** Items per page: a Kustomization with a large inventory is tens of kB, so pages stay a few MB. */
export const LIST_LIMIT = 100;
/** kubelogin's azurecli login runs `az account get-access-token`, which takes seconds on its own. */
const EXEC_TIMEOUT_MS = 60000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_WAIT_MS = 30000;
/** Variables whose values are credentials (ARM_CLIENT_SECRET, AZURE_MANAGEMENT_TOKEN, AZDO_PERSONAL_ACCESS_TOKEN, ...). */
const SECRET_VARIABLE = /SECRET|TOKEN|PASSWORD|PASSPHRASE|_KEY$/i;

/** One reading per cluster, in the order given; an unreachable cluster is a reading, never a rejection. */
export async function readClusters(clusters: readonly ClusterConfig[], options: ClusterReaderOptions): Promise<ClusterReading[]> {
  const readings: ClusterReading[] = new Array(clusters.length);
  const files: KubeconfigFiles = new Map();
  let next = 0;
  const worker = async () => {
    while (next < clusters.length) {
      const i = next++;
      readings[i] = await readCluster(clusters[i], options, files);
    }
  };
  const concurrency = Number.isInteger(options.concurrency) && options.concurrency! > 0 ? options.concurrency! : 8;
  await Promise.all(Array.from({ length: Math.min(concurrency, clusters.length) }, worker));
  return readings;
}

async function readCluster(cluster: ClusterConfig, options: ClusterReaderOptions, files: KubeconfigFiles): Promise<ClusterReading> {
  // What a plugin's stderr or a server might echo: the environment's secrets, and every credential met below.
  const secrets: string[] = Object.entries(options.env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value)
    .map(([, value]) => value!);
  const unreachable = (error: string): ClusterReading => ({ cluster: cluster.name, reachable: false, error: redact(error, secrets), kustomizations: [] });
  let client: ApiClient | undefined;
  try {
    const connection = cluster.aks ? await aksConnectionOf(cluster, options) : kubeconfigConnection(cluster, options.env, files);
    secrets.push(...Object.values(connection.exec?.env ?? {}));
    const credential = connection.exec ? await runExecPlugin(connection.exec, options.env, EXEC_TIMEOUT_MS) : {};
    for (const s of [connection.token, connection.clientKey?.toString('utf8'), credential.token, credential.clientKey?.toString('utf8')]) {
      if (s) secrets.push(s);
    }
    client = new ApiClient(connection, credential, options);
    const clusterWide = await client.list(`${KUSTOMIZATIONS_PATH}/kustomizations`);
    let listed = clusterWide;
    if (clusterWide.status === 403) {
      const namespace = cluster.flux?.namespace ?? 'flux-system';
      const inNamespace = await client.list(`${KUSTOMIZATIONS_PATH}/namespaces/${encodeURIComponent(namespace)}/kustomizations`);
      if (inNamespace.status === 200) listed = inNamespace;
    }
    if (listed.status === 404) {
      // The group/version is not served: no Flux, or a Flux before 2.0 (kustomize.toolkit.fluxcd.io/v1 came with 2.0).
      return { cluster: cluster.name, reachable: true, error: 'the API server serves no kustomize.toolkit.fluxcd.io/v1 Kustomizations: Flux 2 is not installed', kustomizations: [] };
    }
    if (listed.status !== 200) return unreachable(`${connection.server.origin}: ${refusal(listed, cluster)}`);
    return { cluster: cluster.name, reachable: true, error: null, kustomizations: listed.items.map(kustomizationReading) };
  } catch (e) {
    return unreachable(e instanceof AccessError ? e.message : `unexpected: ${(e as Error).message}`);
  } finally {
    client?.close();
  }
}

/** Never a credential in a message, whatever a server or a plugin put in it (shorter values are no credential, and would mask ordinary words). */
function redact(message: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 8).reduce((m, s) => m.split(s).join('***'), message);
}

function refusal(answer: ListAnswer, cluster: ClusterConfig): string {
  const said = answer.message ? `: ${answer.message.slice(0, 300)}` : '';
  switch (answer.status) {
    case 401:
      return `the API server refused the credentials (HTTP 401)${said}; ${cluster.aks ? `check the sign-in of login ${cluster.aks.login ?? 'azurecli'} (\`doctor\`)` : 'check the user of the kube context'}`;
    case 403:
      return `the credentials may not list Kustomizations (HTTP 403)${said}; grant list on kustomizations.kustomize.toolkit.fluxcd.io`;
    default:
      return `HTTP ${answer.status}${said}`;
  }
}

/** The items of every page, or the refusal: its HTTP status and the Status object's message. */
interface ListAnswer {
  readonly status: number;
  readonly items: readonly any[];
  readonly message: string | null;
}

interface Answer {
  readonly status: number;
  readonly body: any;
  /** The body of a text/plain answer (the API server's filters answer 429 so), else empty. */
  readonly text: string;
  readonly retryAfter?: string;
}

/** A refusal's words: the Status object's message, or the first line of a plain-text answer. */
function messageOf(answer: Answer): string | null {
  if (typeof answer.body?.message === 'string') return answer.body.message;
  return answer.text.split('\n').map((l) => l.trim()).find(Boolean) ?? null;
}

/** GETs against one API server, each with its own timeout, retried on 429 and 5xx. */
class ApiClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof https | typeof http;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly connection: KubeConnection,
    credential: ExecCredential,
    private readonly options: ClusterReaderOptions,
  ) {
    const secure = connection.server.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = secure
      ? new https.Agent({
          keepAlive: true,
          ca: connection.ca,
          cert: credential.clientCert ?? connection.clientCert,
          key: credential.clientKey ?? connection.clientKey,
          // TLS is verified unless the kubeconfig itself says insecure-skip-tls-verify: true.
          rejectUnauthorized: !connection.insecureSkipTlsVerify,
          servername: connection.tlsServerName,
        })
      : new http.Agent({ keepAlive: true });
    const token = credential.token ?? connection.token;
    this.headers = { accept: 'application/json', ...(token && { authorization: `Bearer ${token}` }) };
  }

  close(): void {
    this.agent.destroy();
  }

  /** Every page of a list; restarts once when the continue token expired (410 Gone, api-concepts page above). */
  async list(resourcePath: string): Promise<ListAnswer> {
    const items: any[] = [];
    let token: string | undefined;
    let restarted = false;
    for (let page = 0; page < 10000; page++) {
      const query = new URLSearchParams({ limit: String(LIST_LIMIT), ...(token ? { continue: token } : {}) });
      const answer = await this.get(`${resourcePath}?${query}`);
      if (answer.status === 410 && token && !restarted) {
        restarted = true;
        items.length = 0;
        token = undefined;
        continue;
      }
      if (answer.status !== 200) return { status: answer.status, items: [], message: messageOf(answer) };
      if (!Array.isArray(answer.body?.items)) throw new AccessError(`${this.connection.server.origin} answered a list without items`);
      items.push(...answer.body.items);
      token = typeof answer.body.metadata?.continue === 'string' && answer.body.metadata.continue ? answer.body.metadata.continue : undefined;
      if (!token) return { status: 200, items, message: null };
    }
    throw new AccessError(`${this.connection.server.origin} kept paging past 10000 pages`);
  }

  private async get(pathAndQuery: string): Promise<Answer> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(pathAndQuery);
      const retriable = answer.status === 429 || [500, 502, 503, 504].includes(answer.status);
      if (!retriable || attempt >= retries) return answer;
      await sleepOf(this.options)(waitMs(answer.retryAfter, attempt));
    }
  }

  private once(pathAndQuery: string): Promise<Answer> {
    const timeoutMs = this.options.timeoutMs ?? 10000;
    const origin = this.connection.server.origin;
    const url = new URL(this.connection.server.pathname.replace(/\/+$/, '') + pathAndQuery, origin);
    return new Promise((resolve, reject) => {
      const req = this.transport.get(url, { agent: this.agent, headers: this.headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(new AccessError(`${origin} answered more than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, body, text: /^text\/plain/.test(res.headers['content-type'] ?? '') ? text : '', retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
        res.on('error', (e) => reject(networkError(e, origin, timeoutMs)));
      });
      // One deadline for the whole call, the answer's body included.
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', (e) => reject(e instanceof AccessError ? e : networkError(e, origin, timeoutMs)));
    });
  }
}

function sleepOf(options: ClusterReaderOptions): (ms: number) => Promise<void> {
  return options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

/** Retry-After is seconds or an HTTP date (RFC 9110 section 10.2.3); capped so a run always ends. */
export function waitMs(retryAfter: string | undefined, attempt: number, now = Date.now()): number {
  const backoff = 1000 * 2 ** attempt;
  if (!retryAfter) return backoff;
  const seconds = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_WAIT_MS) : backoff;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

function networkError(e: NodeJS.ErrnoException, origin: string, timeoutMs: number): AccessError {
  const code = e.code ?? '';
  if (code === 'ETIMEDOUT') return new AccessError(`${origin}: no answer within ${timeoutMs} ms`);
  if (code === 'ECONNREFUSED') return new AccessError(`${origin}: connection refused`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AccessError(`${origin}: host not found`);
  if (TLS_CODES.test(code)) return new AccessError(`${origin}: TLS failed (${code}): the server's certificate is not trusted with the cluster's CA`);
  return new AccessError(`${origin}: ${code || e.message}`);
}

/**
 * The commit of a Flux revision, or null when it names none. Since flux2 v0.40.0 (RFC-0005, fluxcd/flux2
 * rfcs/0005-artifact-revision-and-digest/README.md at c9361ca5) a Git revision is `<named pointer>@sha1:<sha>`
 * (`main@sha1:…`, `v1.2.3@sha1:…`, `refs/pull/1/head@sha1:…`; the digest is what follows the last `@`) or
 * `sha1:<sha>` for a commit with no branch or tag; before it, `<branch>/<sha>`, which the RFC keeps readable
 * for backwards compatibility. An OCI or Bucket revision (`…sha256:…`) is a digest, not a commit.
 */
export function commitOfRevision(revision: unknown): string | null {
  if (typeof revision !== 'string') return null;
  const current = /(?:^|@)sha1:([0-9a-f]{40})$/.exec(revision);
  if (current) return current[1];
  const legacy = /^[^@]+\/([0-9a-f]{40})$/.exec(revision);
  return legacy ? legacy[1] : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * One Kustomization's `.status` as the kustomize-controller v1 API has it (KustomizationStatus): the Ready
 * condition (metav1.Condition), and `history` (kustomize-controller >= 1.5, newest first, at most five, each
 * a Snapshot whose `metadata.revision` is the revision applied; ../shared/reference/fleet-view-research.md
 * and kustomize-controller's origin-revision test). A Kustomization never reconciled has no status at all.
 */
export function kustomizationReading(item: any): ClusterKustomizationReading {
  const status = item?.status ?? {};
  const ready = Array.isArray(status.conditions) ? status.conditions.find((c: any) => c?.type === 'Ready') : undefined;
  const readyCondition: ReadyCondition | null = ready
    ? {
        status: ['True', 'False', 'Unknown'].includes(ready.status) ? ready.status : 'Unknown',
        reason: text(ready.reason),
        message: text(ready.message),
        lastTransitionTime: text(ready.lastTransitionTime),
      }
    : null;
  const history: HistoryEntry[] = (Array.isArray(status.history) ? status.history : []).map((h: any) => ({
    revision: commitOfRevision(h?.metadata?.revision),
    firstReconciled: text(h?.firstReconciled),
    lastReconciled: text(h?.lastReconciled),
    lastReconciledStatus: text(h?.lastReconciledStatus),
    totalReconciliations: typeof h?.totalReconciliations === 'number' ? h.totalReconciliations : null,
  }));
  return {
    name: String(item?.metadata?.name ?? ''),
    namespace: String(item?.metadata?.namespace ?? ''),
    lastAppliedRevision: commitOfRevision(status.lastAppliedRevision),
    lastAttemptedRevision: commitOfRevision(status.lastAttemptedRevision),
    ready: readyCondition,
    suspended: item?.spec?.suspend === true,
    history,
  };
}

/** AKS: the server and CA from Azure, the sign-in through kubelogin exactly as the stack's providers run it. */
async function aksConnectionOf(cluster: ClusterConfig, options: ClusterReaderOptions): Promise<KubeConnection> {
  const { server, ca } = await aksServer(cluster, { env: options.env, timeoutMs: options.timeoutMs ?? 10000, retries: options.retries ?? 3, wait: waitMs, sleep: sleepOf(options) });
  return aksConnection(cluster, server, ca);
}
