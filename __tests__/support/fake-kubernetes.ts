import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A Kubernetes API server on loopback, as far as the status reader reads one: Flux Kustomizations
 * (kustomize.toolkit.fluxcd.io/v1). Each behaviour is the real server's:
 * - list: GET /apis/<group>/<version>/<plural> (all namespaces) or .../namespaces/<ns>/<plural>, answered
 *   `{apiVersion, kind: "KustomizationList", metadata: {resourceVersion, continue?, remainingItemCount?}, items}`,
 *   each item carrying its own apiVersion and kind (custom resources are served as unstructured objects);
 *   `limit` cuts the list and `metadata.continue` names the rest, absent on the last page; an expired
 *   token is 410 with reason Expired (https://kubernetes.io/docs/reference/using-api/api-concepts/,
 *   "Retrieving large results sets in chunks").
 * - errors are a `Status` object `{kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message,
 *   reason, code}` (https://kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind;
 *   k8s.io/apimachinery/pkg/api/errors/errors.go): 401 reason Unauthorized, message "Unauthorized"
 *   (k8s.io/apiserver/pkg/endpoints/filters/authentication.go); 403 reason Forbidden with the message the
 *   authorization filter writes (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go,
 *   `forbiddenMessage`); 404 NotFound "the server could not find the requested resource" for a group/version
 *   not served (no CRD).
 * - overload: 429 with `Retry-After: 1` and a plain-text body, not a Status (k8s.io/apiserver/pkg/server/filters/
 *   maxinflight.go, tooManyRequests: `http.Error(w, "Too many requests, please try again later.", 429)`, which API
 *   Priority and Fairness calls too, https://kubernetes.io/docs/concepts/cluster-administration/flow-control/).
 */
export interface FakeKubernetesOptions {
  /** The bearer token the server takes; any other is 401. */
  readonly token: string;
  /** Serve HTTPS with this certificate and key (PEM). @default - plain HTTP */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Also take a client certificate signed by this CA (PEM) in place of the token: the API server's x509
   * authenticator (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates).
   */
  readonly clientCa?: string;
}

export const KUSTOMIZE_API = 'kustomize.toolkit.fluxcd.io/v1';

export class FakeKubernetes {
  /** Every Kustomization of the cluster, in the order the server lists them. */
  kustomizations: object[] = [];
  /** Namespaces the token may list Kustomizations in; undefined: everywhere (cluster scope too). */
  allowedNamespaces?: readonly string[];
  /** The CRD is not installed: the group/version is not served. */
  noFlux = false;
  /** The next N calls are refused with 429 and Retry-After. */
  overloaded = 0;
  retryAfter = '1';
  /** Wait this long before answering each call. */
  delayMs = 0;
  /** continue tokens given out before this is raised have expired (410). */
  compactedBelow = 0;
  /** Runs before each call is answered (a test's hook into the server's timeline). */
  beforeAnswer?: (path: string) => void;
  /** Every call, as it arrived. */
  readonly requests: { path: string; authorization?: string }[] = [];
  /** The most calls seen in flight at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private generation = 1;
  private server?: http.Server;

  constructor(private readonly options: FakeKubernetesOptions) {}

  async start(): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    const { tls, clientCa } = this.options;
    this.server = tls ? https.createServer({ cert: tls.cert, key: tls.key, ...(clientCa && { ca: clientCa, requestCert: true, rejectUnauthorized: false }) }, handler) : http.createServer(handler);
    return listenOnLoopback(this.server, this.options.tls ? 'https' : 'http');
  }

  stop(): Promise<void> {
    this.server!.closeAllConnections?.();
    return closeServer(this.server);
  }

  /** Tokens handed out so far expire, as after an etcd compaction. */
  expireContinueTokens(): void {
    this.generation++;
    this.compactedBelow = this.generation;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const url = new URL(req.url!, 'http://x');
      this.requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
      if (this.delayMs) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, this.delayMs);
          // A client that gave up (its timeout) ends the wait, so the server closes at once.
          res.on('close', () => {
            clearTimeout(timer);
            r();
          });
        });
      }
      if (res.destroyed) return;
      this.beforeAnswer?.(url.pathname + url.search);
      this.answer(url, req, res);
    } finally {
      this.inFlight--;
    }
  }

  private answer(url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const failure = (code: number, reason: string, message: string) => send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    const byCertificate = this.options.clientCa !== undefined && (req.socket as import('tls').TLSSocket).authorized === true;
    if (!byCertificate && req.headers.authorization !== `Bearer ${this.options.token}`) return failure(401, 'Unauthorized', 'Unauthorized');
    if (this.overloaded > 0) {
      this.overloaded--;
      // Go's http.Error: text/plain, nosniff, the message and a newline.
      res.writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'retry-after': this.retryAfter });
      res.end('Too many requests, please try again later.\n');
      return;
    }
    const list = /^\/apis\/kustomize\.toolkit\.fluxcd\.io\/v1\/(?:namespaces\/([^/]+)\/)?kustomizations$/.exec(url.pathname);
    if (!list || this.noFlux) return failure(404, 'NotFound', 'the server could not find the requested resource');
    const namespace = list[1] ? decodeURIComponent(list[1]) : undefined;
    if (this.allowedNamespaces && (namespace === undefined || !this.allowedNamespaces.includes(namespace))) {
      const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
      return failure(403, 'Forbidden', `kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "status-reader" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" ${scope}`);
    }
    const all = this.kustomizations.filter((k: any) => namespace === undefined || k.metadata.namespace === namespace);
    let offset = 0;
    const token = url.searchParams.get('continue');
    if (token) {
      const [generation, at] = Buffer.from(token, 'base64').toString('utf8').split(':').map(Number);
      if (!(generation >= this.compactedBelow) || !Number.isInteger(at)) {
        return failure(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      offset = at;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const rest = all.length - offset - items.length;
    const metadata = { resourceVersion: '4242', ...(rest > 0 && { continue: Buffer.from(`${this.generation}:${offset + items.length}`).toString('base64'), remainingItemCount: rest }) };
    send(200, { apiVersion: KUSTOMIZE_API, kind: 'KustomizationList', metadata, items });
  }
}

/** 40 hex of a commit, from a short label, so each test names its commits. */
export const sha = (label: string): string => Buffer.from(label.padEnd(20, '.')).toString('hex').slice(0, 40);

export interface KustomizationFixture {
  readonly name: string;
  readonly namespace?: string;
  /** The Git ref part of the revision. @default 'main' */
  readonly ref?: string;
  readonly applied?: string;
  readonly attempted?: string;
  /** The Ready condition; omitted with no status at all (never reconciled). */
  readonly ready?: { readonly status: 'True' | 'False' | 'Unknown'; readonly reason: string; readonly message: string; readonly at: string };
  readonly suspend?: boolean;
  readonly history?: readonly { readonly revision: string; readonly first: string; readonly last: string; readonly status: string; readonly total: number }[];
  /** A Kustomization that was never reconciled has no `.status` at all. */
  readonly neverReconciled?: boolean;
}

/**
 * A Kustomization as kustomize-controller v1 leaves it, its `.status` shaped by the CRD's openAPIV3Schema
 * (kustomize.toolkit.fluxcd.io_kustomizations.yaml of Flux 2.8.5 and 2.9.4, checked by
 * fake-kubernetes.test.ts when ../shared is present): spec requires interval, prune and sourceRef; a Ready
 * condition requires type, status (True/False/Unknown), reason (CamelCase), message and lastTransitionTime;
 * a history Snapshot requires digest, firstReconciled, lastReconciled, lastReconciledDuration,
 * lastReconciledStatus and totalReconciliations, its revision in `metadata.revision`. Revisions are
 * `<ref>@sha1:<sha>` (Flux RFC-0005).
 */
export function kustomization(f: KustomizationFixture): object {
  const ref = f.ref ?? 'main';
  const object = {
    apiVersion: KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: { name: f.name, namespace: f.namespace ?? 'flux-system', generation: 1, resourceVersion: '1', uid: `00000000-0000-4000-8000-${sha(f.name).slice(0, 12)}` },
    spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: f.name }, ...(f.suspend !== undefined && { suspend: f.suspend }) },
  };
  if (f.neverReconciled) return object;
  return {
    ...object,
    status: {
      observedGeneration: 1,
      ...(f.applied && { lastAppliedRevision: `${ref}@sha1:${f.applied}` }),
      ...(f.attempted && { lastAttemptedRevision: `${ref}@sha1:${f.attempted}` }),
      ...(f.ready && { conditions: [{ type: 'Ready', status: f.ready.status, reason: f.ready.reason, message: f.ready.message, lastTransitionTime: f.ready.at, observedGeneration: 1 }] }),
      ...(f.history && {
        history: f.history.map((h) => ({
          digest: `sha256:${sha(h.revision + h.status).padEnd(64, '0')}`,
          firstReconciled: h.first,
          lastReconciled: h.last,
          lastReconciledDuration: '1.5s',
          lastReconciledStatus: h.status,
          totalReconciliations: h.total,
          metadata: { revision: `${ref}@sha1:${h.revision}` },
        })),
      }),
    },
  };
}

/** The DNS name in the test certificate besides 127.0.0.1, for kubeconfig's tls-server-name. */
export const CERTIFICATE_DNS_NAME = 'fake-kubernetes.test';

/**
 * A self-signed certificate for 127.0.0.1 and CERTIFICATE_DNS_NAME, made now with the openssl command (node's crypto makes keys but
 * not certificates); undefined when openssl is not installed, and the HTTPS cases say they are skipped.
 */
export function selfSignedCertificate(): { cert: string; key: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kubernetes-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=fake-kubernetes', '-addext', `subjectAltName=IP:127.0.0.1,DNS:${CERTIFICATE_DNS_NAME}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore', timeout: 20000 },
    );
    return { cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A kubeconfig file with one context, written to a temporary folder; returns its path. */
export function writeKubeconfig(dir: string, file: string, cluster: Record<string, unknown>, user: Record<string, unknown>, context = 'fake'): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    clusters: [{ name: 'fake-cluster', cluster }],
    users: [{ name: 'fake-user', user }],
    contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user' } }],
  };
  const full = path.join(dir, file);
  fs.writeFileSync(full, JSON.stringify(doc));
  return full;
}

/**
 * Azure Resource Manager, as far as the reader reads an AKS cluster's server and CA from it: Managed Clusters -
 * List Cluster User Credentials (https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/list-cluster-user-credentials,
 * api-version 2025-10-01): POST only; 200 `{kubeconfigs: [{name: "clusterUser", value: <base64 kubeconfig>}]}`;
 * otherwise an ErrorResponse `{error: {code, message}}`: 401 without the bearer token, 404 ResourceNotFound for a
 * cluster it does not have. The kubeconfig of an Entra ID cluster signs in through kubelogin (format exec).
 */
export class FakeAksCredentials {
  /** By `resourceGroup/name`: the API server and its CA (PEM). */
  readonly clusters = new Map<string, { server: string; ca: string }>();
  readonly requests: string[] = [];
  private server?: http.Server;

  constructor(private readonly token: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      this.requests.push(`${req.method} ${url.pathname}?${url.searchParams}`);
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing or invalid." } });
      const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/listClusterUserCredential$/.exec(url.pathname);
      const found = m && req.method === 'POST' ? this.clusters.get(`${m[1]}/${m[2]}`) : undefined;
      if (!found) return send(404, { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.ContainerService/managedClusters/${m?.[2]}' under resource group '${m?.[1]}' was not found.` } });
      const kubeconfig = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: m![2], cluster: { server: found.server, 'certificate-authority-data': Buffer.from(found.ca).toString('base64') } }],
        contexts: [{ name: m![2], context: { cluster: m![2], user: 'clusterUser' } }],
        'current-context': m![2],
        users: [{ name: 'clusterUser', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'devicecode'] } } }],
      };
      send(200, { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(JSON.stringify(kubeconfig)).toString('base64') }] });
    });
    return listenOnLoopback(this.server!);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
