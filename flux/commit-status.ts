/**
 * The commit-status contract: the name every commit status the stack makes Flux write carries, so that
 * a status says which cluster and ring wrote it, and the fleet reader (fleet-status/) can read it back.
 *
 *   fleet/<ring>/<cluster>/<kind, lower case>/<namespace>/<name>     e.g. fleet/2/prod-weu/kustomization/flux-system/apps
 *
 * notification-controller's default, `<kind>/<name>/<first segment of the Provider's UID>`, names no
 * cluster: the same Kustomization on two clusters writes two names nobody can attribute, and a status
 * name per cluster is the only thing Azure DevOps keeps for good (events expire after an hour). The
 * writer side is `commitStatusExpr` on the `azuredevops` Provider (notification-controller >= 1.6), built
 * by commitStatusExpr() below; the reader side is parseCommitStatusName(). Neither part may hold a `/`:
 * cluster names, kinds, namespaces and object names are DNS labels or subdomains without one.
 */

import { isDnsLabel } from './formats';

/** The first segment of every status name of the contract. */
export const COMMIT_STATUS_PREFIX = 'fleet';

/** The Azure DevOps status genre notification-controller writes (`fluxcd`, or `fluxcd:<summary>`). */
export const FLUX_STATUS_GENRE = 'fluxcd';

/** Who writes a status: the cluster and its ring. */
export interface CommitStatusWriter {
  /** The cluster's deploy ring (1 first). */
  readonly ring: number;
  /** The cluster's name in the config. */
  readonly cluster: string;
}

/** The parts of a status name of the contract. */
export interface CommitStatusName extends CommitStatusWriter {
  /** The Flux object's kind in lower case, e.g. `kustomization`. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The status name of one object of one cluster: the value commitStatusExpr() makes the controller compute. */
export function commitStatusName(s: CommitStatusName): string {
  return [COMMIT_STATUS_PREFIX, String(s.ring), s.cluster, s.kind.toLowerCase(), s.namespace, s.name].join('/');
}

/** Reads a status name of the contract back; null for any other name (the default names, the connector's). */
export function parseCommitStatusName(text: string): CommitStatusName | null {
  const parts = text.split('/');
  if (parts.length !== 6 || parts[0] !== COMMIT_STATUS_PREFIX || !/^[1-9][0-9]*$/.test(parts[1]) || parts.slice(2).some((p) => p === '')) return null;
  const [, ring, cluster, kind, namespace, name] = parts;
  return { ring: Number(ring), cluster, kind, namespace, name };
}

/** A CEL string literal holding `text` exactly (double-quoted; backslash and quote escaped, control characters as \u). */
export function celString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Why `writer` cannot name a status of the contract, or undefined: a positive ring, a cluster name without `/`. */
export function commitStatusWriterProblem(writer: CommitStatusWriter): string | undefined {
  if (!Number.isSafeInteger(writer.ring) || writer.ring < 1) return `ring ${JSON.stringify(writer.ring)} is not a positive integer`;
  // The reader splits the name on "/"; cluster names of the config are DNS labels, which never hold one.
  if (typeof writer.cluster !== 'string' || !isDnsLabel(writer.cluster)) {
    return `cluster ${JSON.stringify(writer.cluster)} is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)`;
  }
  return undefined;
}

/**
 * The `spec.commitStatusExpr` of a commit-status Provider of one cluster: evaluated by notification-controller
 * for each event, it gives exactly commitStatusName() of the event's object. The ring and cluster are a
 * literal, never read from `event.metadata`: metadata the emitting controller sets wins over the Alert's
 * `eventMetadata` (notification-controller v1.8.3 internal/server/event_handlers.go, combineEventMetadata),
 * so a literal is the only value no object can override. Its variables are `event` (the eventv1.Event as a
 * map), `provider` and `alert`, each a google.protobuf.Struct, and it must type to a string
 * (internal/server/provider_commit_status.go, newCommitStatusExpression); `lowerAscii()` is CEL's strings
 * extension, which Flux's environment loads (fluxcd/pkg runtime/cel/expression.go, NewExpression).
 */
export function commitStatusExpr(writer: CommitStatusWriter): string {
  const problem = commitStatusWriterProblem(writer);
  if (problem) throw new Error(`commit-status writer: ${problem}`);
  const o = 'event.involvedObject';
  return `${celString(`${COMMIT_STATUS_PREFIX}/${writer.ring}/${writer.cluster}/`)} + ${o}.kind.lowerAscii() + "/" + ${o}.namespace + "/" + ${o}.name`;
}

/**
 * The GitOps Connector's `gitOpsAppURL` for one cluster: `base` with the fragment `#fleet/<ring>/<cluster>`.
 * Connector 1.2.1 names every status `Status` whichever cluster writes it, and sets `targetUrl` to
 * gitOpsAppURL + `?noop=<status name>` (Azure/gitops-connector v1.2.1 src/repositories/azdo_git_repository.py,
 * post_commit_status), so the URL is the only place a cluster can show. A fragment, not a path or a query:
 * the link still opens `base`, and the appended `?noop=` stays inside the fragment.
 */
export function connectorAppUrl(base: string, writer: CommitStatusWriter): string {
  const problem = commitStatusWriterProblem(writer);
  if (problem) throw new Error(`commit-status writer: ${problem}`);
  return `${base}#${COMMIT_STATUS_PREFIX}/${writer.ring}/${writer.cluster}`;
}

/** The writer a connector status's `targetUrl` names (connectorAppUrl), or null. */
export function parseConnectorTargetUrl(targetUrl: string): CommitStatusWriter | null {
  const m = new RegExp(`#${COMMIT_STATUS_PREFIX}/([1-9][0-9]*)/([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\?noop=.*)?$`).exec(targetUrl);
  return m ? { ring: Number(m[1]), cluster: m[2] } : null;
}
