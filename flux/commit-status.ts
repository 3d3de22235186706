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

/** The first segment of every status name of the contract. */
export const COMMIT_STATUS_PREFIX = 'fleet';

/** The Azure DevOps status genre notification-controller writes (`fluxcd`, or `fluxcd:<summary>`). */
export const FLUX_STATUS_GENRE = 'fluxcd';

export interface CommitStatusWriter {
  /** The cluster's deploy ring (1 first). */
  readonly ring: number;
  /** The cluster's name in the config. */
  readonly cluster: string;
}

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
