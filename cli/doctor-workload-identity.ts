/**
 * The doctor's checks for the zero-secret mode (`workloadIdentity.managed`), one line each, per cluster:
 * the AKS cluster has its OIDC issuer and the workload identity webhook on; the identity can be reached
 * (a given one exists, a created one is either there or will be made); and the identity is, or can be made,
 * a member of each Azure DevOps organisation it reads.
 *
 * Azure Resource Manager is read with AZURE_MANAGEMENT_TOKEN (`az account get-access-token --resource
 * https://management.azure.com/`); Azure DevOps with the doctor's Azure DevOps token. Without the first,
 * the Azure checks are skipped, saying what to export.
 */
import { azureReposDefaultAuth, repositorySource } from '../config/repositories';
import type { ClusterConfig } from '../config/schema';
import { parseUserAssignedIdentityId } from '../constructs/flux-workload-identity';

type Report = (status: 'ok' | 'FAIL' | 'skip', check: string, detail: string) => void;

/** API versions the azurerm provider 5.2.0 reads these resources with (its vendored go-azure-sdk packages). */
export const ARM_API_VERSIONS = { managedClusters: '2025-10-01', userAssignedIdentities: '2024-11-30' } as const;
/** The Graph API version of azure-devops-go-api v7 graph.ListServicePrincipals (preview only). */
export const GRAPH_API_VERSION = '7.1-preview.1';
export const MANAGEMENT_TOKEN_HINT = 'AZURE_MANAGEMENT_TOKEN=$(az account get-access-token --resource https://management.azure.com/ --query accessToken -o tsv)';

export interface WorkloadIdentityDoctorOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The Azure DevOps token's Authorization header value, when the doctor has one. */
  readonly azureDevOpsAuthorization?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly continuation?: string;
}

/** A service root from the environment (for tests: plain http only on loopback), or the default. */
export function serviceRoot(name: string, value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  const url = new URL(value);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username || url.password || url.search || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new Error(`${name} must be a bare https:// service root (plain http only on a loopback address)`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** One GET, JSON back; never follows a redirect (it would carry the token), never quotes the token. */
export async function getJson(url: string, authorization: string): Promise<Answer> {
  const response = await fetch(url, { headers: { authorization, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(30000) });
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, continuation: response.headers.get('x-ms-continuationtoken') ?? undefined };
}

/** A token as it may stand in a header: anything else is refused unseen (fetch quotes a bad header whole). */
export const HEADER_TOKEN = /^[A-Za-z0-9._~+/=-]+$/;

export const errorOf = (a: Answer): string => `HTTP ${a.status}${a.body?.error?.message ? `: ${a.body.error.message}` : a.body?.message ? `: ${a.body.message}` : ''}`;

/** Runs the zero-secret checks of every cluster in that mode; reports nothing for the others. */
export async function checkWorkloadIdentity(clusters: readonly ClusterConfig[], options: WorkloadIdentityDoctorOptions, report: Report): Promise<void> {
  const managed = clusters.filter((c) => c.workloadIdentity?.managed && c.aks);
  if (managed.length === 0) return;
  const token = options.env.AZURE_MANAGEMENT_TOKEN;
  // Error text never repeats a token, whatever a library put in it.
  const secrets = [token, options.env.AZDO_ENTRA_TOKEN, options.env.AZDO_PERSONAL_ACCESS_TOKEN, options.azureDevOpsAuthorization].filter((t): t is string => !!t);
  const failure = (e: unknown): string => secrets.reduce((m, t) => m.split(t).join('***'), (e as Error).message);
  if (token && !HEADER_TOKEN.test(token)) {
    report('FAIL', 'Azure token', `AZURE_MANAGEMENT_TOKEN is not a token (it has characters no token has); export ${MANAGEMENT_TOKEN_HINT}`);
    return;
  }
  let arm: string;
  let vssps: string;
  try {
    arm = serviceRoot('AZURE_MANAGEMENT_URL', options.env.AZURE_MANAGEMENT_URL, 'https://management.azure.com');
    vssps = serviceRoot('AZDO_VSSPS_URL', options.env.AZDO_VSSPS_URL, 'https://vssps.dev.azure.com');
  } catch (e) {
    report('FAIL', 'workload identity', (e as Error).message);
    return;
  }
  for (const cluster of managed) {
    const aks = cluster.aks!;
    const wi = cluster.workloadIdentity!.managed!;
    if (!token) {
      report('skip', `OIDC issuer of ${cluster.name}`, `no Azure token to read the cluster with: export ${MANAGEMENT_TOKEN_HINT}`);
      continue;
    }
    const bearer = `Bearer ${token}`;
    const clusterUrl =
      `${arm}/subscriptions/${encodeURIComponent(aks.subscriptionId)}/resourceGroups/${encodeURIComponent(aks.resourceGroup)}` +
      `/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(aks.name)}?api-version=${ARM_API_VERSIONS.managedClusters}`;
    const enable = `az aks update -g ${aks.resourceGroup} -n ${aks.name} --enable-oidc-issuer --enable-workload-identity`;
    try {
      const answer = await getJson(clusterUrl, bearer);
      if (answer.status !== 200) {
        report('FAIL', `OIDC issuer of ${cluster.name}`, `cannot read ${aks.resourceGroup}/${aks.name}: ${errorOf(answer)}`);
      } else {
        // ManagedClusterProperties.oidcIssuerProfile {enabled, issuerURL} and securityProfile.workloadIdentity.enabled
        // (go-azure-sdk containerservice 2025-10-01 managedclusters models, vendored by azurerm 5.2.0).
        const props = answer.body?.properties ?? {};
        const issuer = props.oidcIssuerProfile?.enabled === true ? props.oidcIssuerProfile?.issuerURL : undefined;
        if (issuer) report('ok', `OIDC issuer of ${cluster.name}`, issuer);
        else report('FAIL', `OIDC issuer of ${cluster.name}`, `not enabled; run ${enable}`);
        if (props.securityProfile?.workloadIdentity?.enabled === true) report('ok', `workload identity of ${cluster.name}`, 'the AKS webhook is on');
        else report('FAIL', `workload identity of ${cluster.name}`, `the AKS workload identity webhook is off: source-controller would get no token; run ${enable}`);
      }
    } catch (e) {
      report('FAIL', `OIDC issuer of ${cluster.name}`, `cannot reach Azure Resource Manager: ${failure(e)}`);
    }

    // The identity: a given one must exist; a created one exists after the first deploy.
    const given = wi.identityId !== undefined ? parseUserAssignedIdentityId(wi.identityId) : undefined;
    const target = given ?? { subscriptionId: aks.subscriptionId, resourceGroup: wi.resourceGroup ?? aks.resourceGroup, name: wi.name ?? `flux-${cluster.name}` };
    const identityUrl =
      `${arm}/subscriptions/${encodeURIComponent(target.subscriptionId)}/resourceGroups/${encodeURIComponent(target.resourceGroup)}` +
      `/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${encodeURIComponent(target.name)}?api-version=${ARM_API_VERSIONS.userAssignedIdentities}`;
    let principalId: string | undefined;
    const check = `identity of ${cluster.name}`;
    try {
      const answer = await getJson(identityUrl, bearer);
      if (answer.status === 200) {
        // UserAssignedIdentityProperties {clientId, principalId, tenantId} (go-azure-sdk managedidentity 2024-11-30).
        principalId = answer.body?.properties?.principalId;
        report('ok', check, `${target.resourceGroup}/${target.name} reachable (client id ${answer.body?.properties?.clientId})`);
      } else if (answer.status === 404 && !given) {
        report('ok', check, `${target.resourceGroup}/${target.name} absent; the deploy creates it`);
      } else {
        report('FAIL', check, `${given ? 'the given identity ' : ''}${target.resourceGroup}/${target.name}: ${errorOf(answer)}`);
      }
    } catch (e) {
      report('FAIL', check, `cannot reach Azure Resource Manager: ${failure(e)}`);
    }

    // Its Azure DevOps membership, per organisation it reads.
    const organizations = [
      ...new Set(
        cluster.repositories.flatMap((repo) => {
          try {
            const source = repositorySource(repo, azureReposDefaultAuth(cluster));
            return source.auth === 'workload-identity' && source.azureDevOps ? [source.azureDevOps.organization] : [];
          } catch {
            return [];
          }
        }),
      ),
    ];
    for (const org of organizations) {
      const entitlement = `Azure DevOps entitlement of ${target.name} in ${org}`;
      if (!options.azureDevOpsAuthorization) {
        report('skip', entitlement, 'no Azure DevOps token (see the token check above)');
        continue;
      }
      try {
        const member = await findServicePrincipal(vssps, org, options.azureDevOpsAuthorization, principalId);
        if (member.status === 'refused') report('FAIL', entitlement, `the deploying token may not list the organisation's members (${member.detail}), so it cannot add the identity either: use a Project Collection Administrator`);
        else if (member.status === 'member') report('ok', entitlement, `a member (${member.detail})`);
        else if (principalId) report('skip', entitlement, `not a member yet: the deploy adds it (azuredevops_service_principal_entitlement); after a deploy this means it was removed`);
        else report('ok', entitlement, 'the deploying token may add members; the deploy adds the identity once it exists');
      } catch (e) {
        report('FAIL', entitlement, `cannot reach Azure DevOps: ${failure(e)}`);
      }
    }
  }
}

/**
 * Pages through the organisation's service principals (Graph `serviceprincipals`, continuation in the
 * X-MS-ContinuationToken header, as azure-devops-go-api v7 graph.ListServicePrincipals reads it) looking for
 * the origin id, as the azuredevops provider's data source does (getServicePrincipalByOriginId).
 */
async function findServicePrincipal(
  vssps: string,
  org: string,
  authorization: string,
  originId: string | undefined,
): Promise<{ status: 'member' | 'absent' | 'refused'; detail: string }> {
  let continuation: string | undefined;
  for (let page = 0; page < 100; page++) {
    const url = `${vssps}/${encodeURIComponent(org)}/_apis/graph/serviceprincipals?api-version=${GRAPH_API_VERSION}${continuation ? `&continuationToken=${encodeURIComponent(continuation)}` : ''}`;
    const answer = await getJson(url, authorization);
    if (answer.status !== 200) return { status: 'refused', detail: errorOf(answer) };
    const found = (answer.body?.value ?? []).find((sp: any) => originId && typeof sp?.originId === 'string' && sp.originId.toLowerCase() === originId.toLowerCase());
    if (found) return { status: 'member', detail: found.descriptor ?? found.displayName ?? originId! };
    if (!originId || !answer.continuation) break;
    continuation = answer.continuation;
  }
  return { status: 'absent', detail: '' };
}
