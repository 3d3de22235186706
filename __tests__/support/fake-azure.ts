import * as http from 'http';
import { ARM_API_VERSIONS, GRAPH_API_VERSION } from '../../cli/doctor-workload-identity';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * Azure Resource Manager and the Azure DevOps Graph, as far as the doctor reads them, on loopback. Each
 * behaviour is what the real services do, as the azurerm provider 5.2.0 and azure-devops-go-api v7 read them:
 * - managedClusters GET: `properties.oidcIssuerProfile {enabled, issuerURL}` and
 *   `properties.securityProfile.workloadIdentity.enabled` (go-azure-sdk containerservice/2025-10-01/managedclusters
 *   model_managedclusteroidcissuerprofile.go, model_managedclustersecurityprofileworkloadidentity.go, vendored by
 *   azurerm v5.2.0); `properties.aadProfile {managed, enableAzureRBAC, tenantID}` only on a cluster with Entra ID
 *   integration, `properties.disableLocalAccounts`, `properties.fqdn` and `properties.currentKubernetesVersion`
 *   (same package, model_managedclusterproperties.go and model_managedclusteraadprofile.go; azurerm's
 *   kubernetes_cluster_data_source.go reads aadProfile and disableLocalAccounts to choose the credentials it lists).
 * - userAssignedIdentities GET: `properties {clientId, principalId, tenantId}` (go-azure-sdk
 *   managedidentity/2024-11-30/identities model_userassignedidentityproperties.go).
 * - a missing ARM resource: 404 with `{"error": {"code": "ResourceNotFound", "message"}}`; no token: 401
 *   (azurerm's `response.WasNotFound` handling of these GETs in user_assigned_identity_data_source.go).
 * - Graph service principals: `{count, value: [{originId, descriptor, displayName}]}`, paged, the next page named by
 *   the X-MS-ContinuationToken header (azure-devops-go-api v7 graph/client.go ListServicePrincipals, which the
 *   provider's data_service_principal.go pages through to match an origin id).
 */
export class FakeAzure {
  /** By `resourceGroup/name`. `aad` (Entra ID integration) @default true; `localAccounts` @default true. */
  clusters = new Map<string, { oidc: boolean; workloadIdentity: boolean; aad?: boolean; localAccounts?: boolean }>();
  identities = new Map<string, { clientId: string; principalId: string }>();
  members: { originId: string; descriptor: string }[] = [];
  azdoRefuses = false;
  readonly requests: string[] = [];
  private server?: http.Server;

  constructor(private readonly tokens: { readonly armToken: string; readonly azureDevOpsPat: string }) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    this.requests.push(`${req.method} ${url.pathname}?${url.searchParams.toString()}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const graph = /^\/([^/]+)\/_apis\/graph\/serviceprincipals$/.exec(url.pathname);
    if (graph) {
      if (req.headers.authorization !== `Basic ${Buffer.from(`:${this.tokens.azureDevOpsPat}`).toString('base64')}` || this.azdoRefuses) return send(401, { message: 'TF400813: not authorized' });
      if (url.searchParams.get('api-version') !== GRAPH_API_VERSION) return send(400, { message: 'bad api-version' });
      const page = Number(url.searchParams.get('continuationToken') ?? '0');
      const value = this.members.slice(page, page + 1);
      return send(200, { count: value.length, value }, page + 1 < this.members.length ? { 'X-MS-ContinuationToken': String(page + 1) } : {});
    }
    if (req.headers.authorization !== `Bearer ${this.tokens.armToken}`) return send(401, { error: { code: 'AuthenticationFailed', message: 'no token' } });
    const notFound = () => send(404, { error: { code: 'ResourceNotFound', message: `The Resource '${url.pathname.split('/').pop()}' was not found.` } });
    const cluster = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/.exec(url.pathname);
    if (cluster) {
      if (url.searchParams.get('api-version') !== ARM_API_VERSIONS.managedClusters) return send(400, { error: { code: 'InvalidApiVersion', message: 'x' } });
      const found = this.clusters.get(`${cluster[1]}/${cluster[2]}`);
      if (!found) return notFound();
      return send(200, {
        properties: {
          fqdn: `${cluster[2]}-dns-00000000.hcp.westeurope.azmk8s.io`,
          currentKubernetesVersion: '1.31.2',
          ...(found.aad !== false && { aadProfile: { managed: true, enableAzureRBAC: true, tenantID: '55555555-6666-7777-8888-999999999999' } }),
          disableLocalAccounts: found.localAccounts === false,
          oidcIssuerProfile: { enabled: found.oidc, ...(found.oidc && { issuerURL: 'https://westeurope.oic.prod-aks.azure.com/tenant/cluster/' }) },
          securityProfile: { ...(found.workloadIdentity && { workloadIdentity: { enabled: true } }) },
        },
      });
    }
    const identity = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/.exec(url.pathname);
    if (identity) {
      const found = this.identities.get(`${identity[1]}/${identity[2]}`);
      if (!found) return notFound();
      return send(200, { properties: { ...found, tenantId: '55555555-6666-7777-8888-999999999999' } });
    }
    notFound();
  }
}
