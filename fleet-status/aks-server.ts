/**
 * The API server and CA of an AKS cluster, read from Azure Resource Manager as the stack's azurerm data
 * source reads them: the user credentials of the managed cluster (Managed Clusters - List Cluster User
 * Credentials, POST .../managedClusters/{name}/listClusterUserCredential, api-version 2025-10-01:
 * https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/list-cluster-user-credentials), whose
 * `kubeconfigs[].value` is a base64 kubeconfig. With Entra ID integration it holds only the server, its CA
 * and a kubelogin sign-in, the last replaced by the stack's own kubelogin call (constructs/aks-login.ts).
 * The caller needs the action Microsoft.ContainerService/managedClusters/listClusterUserCredential/action
 * (role "Azure Kubernetes Service Cluster User Role"), as the deploy does.
 */
import { parse as parseYaml } from 'yaml';
import type { ClusterConfig } from '../config/schema';
import { AccessError } from './kube-connection';

/** The version the doctor reads managed clusters with (cli/doctor-workload-identity.ts ARM_API_VERSIONS). */
export const MANAGED_CLUSTERS_API_VERSION = '2025-10-01';
const TOKEN_HINT = 'export AZURE_MANAGEMENT_TOKEN=$(az account get-access-token --resource https://management.azure.com/ --query accessToken -o tsv)';

export interface AksServerOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly wait: (retryAfter: string | undefined, attempt: number) => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export async function aksServer(cluster: ClusterConfig, options: AksServerOptions): Promise<{ server: URL; ca: Buffer }> {
  const { subscriptionId, resourceGroup, name } = cluster.aks!;
  const which = `AKS cluster ${resourceGroup}/${name}`;
  const token = options.env.AZURE_MANAGEMENT_TOKEN;
  if (!token) throw new AccessError(`the API server of ${which} is read from Azure Resource Manager: ${TOKEN_HINT}`);
  // fetch quotes a header it refuses whole: a value no token could be is refused unseen.
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(token)) throw new AccessError(`AZURE_MANAGEMENT_TOKEN is not a token (it has characters no token has); ${TOKEN_HINT}`);
  const arm = armRoot(options.env.AZURE_MANAGEMENT_URL);
  const url =
    `${arm}/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}` +
    `/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(name)}/listClusterUserCredential?api-version=${MANAGED_CLUSTERS_API_VERSION}`;
  let answer: Response;
  for (let attempt = 0; ; attempt++) {
    try {
      // Never follows a redirect, which would carry the token elsewhere.
      answer = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : ((e as any).cause?.code ?? (e as Error).message);
      throw new AccessError(`cannot reach Azure Resource Manager for ${which}: ${String(reason).split(token).join('***')}`);
    }
    if (!(answer.status === 429 || answer.status >= 500) || attempt >= options.retries) break;
    await answer.arrayBuffer();
    await options.sleep(options.wait(answer.headers.get('retry-after') ?? undefined, attempt));
  }
  const body: any = await answer.json().catch(() => undefined);
  if (answer.status !== 200) {
    // ErrorResponse {error: {code, message}} (the same page, "Other Status Codes").
    const said = typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 300).split(token).join('***')}` : '';
    throw new AccessError(`cannot read the user credentials of ${which} from Azure (HTTP ${answer.status})${said}`);
  }
  const kubeconfigs: any[] = Array.isArray(body?.kubeconfigs) ? body.kubeconfigs : [];
  const chosen = kubeconfigs.find((k) => k?.name === 'clusterUser') ?? kubeconfigs[0];
  let server: any;
  try {
    server = parseYaml(Buffer.from(String(chosen?.value ?? ''), 'base64').toString('utf8'))?.clusters?.[0]?.cluster;
  } catch {
    server = undefined;
  }
  if (!server?.server || !server['certificate-authority-data']) throw new AccessError(`Azure returned no API server and CA for ${which}`);
  return { server: new URL(server.server), ca: Buffer.from(server['certificate-authority-data'], 'base64') };
}

/** AZURE_MANAGEMENT_URL, as the doctor takes it: a bare https:// root, plain http only on loopback (tests). */
function armRoot(value: string | undefined): string {
  if (!value) return 'https://management.azure.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AccessError('AZURE_MANAGEMENT_URL is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username || url.password || url.search || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new AccessError('AZURE_MANAGEMENT_URL must be a bare https:// service root (plain http only on a loopback address)');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
