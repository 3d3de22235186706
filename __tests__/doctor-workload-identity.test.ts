import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { loadConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { runDoctor } from '../azure-devops/doctor';
import { ARM_API_VERSIONS, checkWorkloadIdentity, GRAPH_API_VERSION } from '../azure-devops/doctor-workload-identity';
import { bearerAuth, FakeAzureDevOps } from './support/fake-azure-devops';
import { tempDir } from './support/synth';

const ARM_TOKEN = 'canary-arm-token-7f3a';
const AZDO_PAT = 'canary-azdo-pat-2b9e';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const PRINCIPAL = '99999999-8888-7777-6666-555555555555';

/**
 * Azure Resource Manager and the Azure DevOps Graph, as far as the doctor reads them, on loopback. Each
 * behaviour is what the real services do, as the azurerm provider 5.2.0 and azure-devops-go-api v7 read them:
 * - managedClusters GET: `properties.oidcIssuerProfile {enabled, issuerURL}` and
 *   `properties.securityProfile.workloadIdentity.enabled` (go-azure-sdk containerservice/2025-10-01/managedclusters
 *   model_managedclusteroidcissuerprofile.go, model_managedclustersecurityprofileworkloadidentity.go, vendored by
 *   azurerm v5.2.0).
 * - userAssignedIdentities GET: `properties {clientId, principalId, tenantId}` (go-azure-sdk
 *   managedidentity/2024-11-30/identities model_userassignedidentityproperties.go).
 * - a missing ARM resource: 404 with `{"error": {"code": "ResourceNotFound", "message"}}`; no token: 401
 *   (azurerm's `response.WasNotFound` handling of these GETs in user_assigned_identity_data_source.go).
 * - Graph service principals: `{count, value: [{originId, descriptor, displayName}]}`, paged, the next page named by
 *   the X-MS-ContinuationToken header (azure-devops-go-api v7 graph/client.go ListServicePrincipals, which the
 *   provider's data_service_principal.go pages through to match an origin id).
 */
class FakeAzure {
  clusters = new Map<string, { oidc: boolean; workloadIdentity: boolean }>();
  identities = new Map<string, { clientId: string; principalId: string }>();
  members: { originId: string; descriptor: string }[] = [];
  azdoRefuses = false;
  readonly requests: string[] = [];
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
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
      if (req.headers.authorization !== `Basic ${Buffer.from(`:${AZDO_PAT}`).toString('base64')}` || this.azdoRefuses) return send(401, { message: 'TF400813: not authorized' });
      if (url.searchParams.get('api-version') !== GRAPH_API_VERSION) return send(400, { message: 'bad api-version' });
      const page = Number(url.searchParams.get('continuationToken') ?? '0');
      const value = this.members.slice(page, page + 1);
      return send(200, { count: value.length, value }, page + 1 < this.members.length ? { 'X-MS-ContinuationToken': String(page + 1) } : {});
    }
    if (req.headers.authorization !== `Bearer ${ARM_TOKEN}`) return send(401, { error: { code: 'AuthenticationFailed', message: 'no token' } });
    const notFound = () => send(404, { error: { code: 'ResourceNotFound', message: `The Resource '${url.pathname.split('/').pop()}' was not found.` } });
    const cluster = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/.exec(url.pathname);
    if (cluster) {
      if (url.searchParams.get('api-version') !== ARM_API_VERSIONS.managedClusters) return send(400, { error: { code: 'InvalidApiVersion', message: 'x' } });
      const found = this.clusters.get(`${cluster[1]}/${cluster[2]}`);
      if (!found) return notFound();
      return send(200, {
        properties: {
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

let fake: FakeAzure;
let base: string;
beforeEach(async () => {
  fake = new FakeAzure();
  base = await fake.start();
});
afterEach(() => fake.stop());

const example = (): ClusterConfig => structuredClone(loadConfig(path.join(__dirname, '..', 'examples', 'zero-secret.yaml')).config.clusters[0]);

async function check(cluster: ClusterConfig, env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  await checkWorkloadIdentity(
    [cluster],
    { env: { AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: base, AZDO_VSSPS_URL: base, AZDO_PERSONAL_ACCESS_TOKEN: AZDO_PAT, ...env }, azureDevOpsAuthorization: `Basic ${Buffer.from(`:${AZDO_PAT}`).toString('base64')}` },
    (status, what, detail) => lines.push(`${status.padEnd(4)}  ${what}: ${detail}`),
  );
  return lines;
}

describe('doctor: the zero-secret checks', () => {
  it('passes a ready cluster whose identity is already a member', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.identities.set('rg-aks/flux-prod', { clientId: '11111111-2222-3333-4444-555555555555', principalId: PRINCIPAL });
    fake.members = [
      { originId: '00000000-1111-1111-1111-000000000000', descriptor: 'aadsp.other' },
      { originId: PRINCIPAL.toUpperCase(), descriptor: 'aadsp.flux' },
    ];
    expect(await check(example())).toEqual([
      'ok    OIDC issuer of prod: https://westeurope.oic.prod-aks.azure.com/tenant/cluster/',
      'ok    workload identity of prod: the AKS webhook is on',
      'ok    identity of prod: rg-aks/flux-prod reachable (client id 11111111-2222-3333-4444-555555555555)',
      'ok    Azure DevOps entitlement of flux-prod in contoso: a member (aadsp.flux)',
    ]);
    // The second page was asked for with the continuation token of the first.
    expect(fake.requests.filter((r) => r.includes('serviceprincipals'))).toHaveLength(2);
  });

  it('fails a cluster without OIDC issuer or webhook, with the command that turns them on', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: false, workloadIdentity: false });
    const lines = await check(example());
    expect(lines[0]).toBe('FAIL  OIDC issuer of prod: not enabled; run az aks update -g rg-aks -n aks-prod --enable-oidc-issuer --enable-workload-identity');
    expect(lines[1]).toMatch(/^FAIL  workload identity of prod: the AKS workload identity webhook is off/);
  });

  it('before the first deploy: the identity to create is absent, and the token may add members', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    const lines = await check(example());
    expect(lines.slice(2)).toEqual([
      'ok    identity of prod: rg-aks/flux-prod absent; the deploy creates it',
      'ok    Azure DevOps entitlement of flux-prod in contoso: the deploying token may add members; the deploy adds the identity once it exists',
    ]);
  });

  it('fails a given identity that is not there, and a token that may not list members', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.azdoRefuses = true;
    const cluster = example();
    const identityId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/flux-shared`;
    const lines = await check({ ...cluster, workloadIdentity: { managed: { identityId } } });
    expect(lines[2]).toBe("FAIL  identity of prod: the given identity rg-identities/flux-shared: HTTP 404: The Resource 'flux-shared' was not found.");
    expect(lines[3]).toMatch(/^FAIL  Azure DevOps entitlement of flux-shared in contoso: the deploying token may not list the organisation's members \(HTTP 401/);
  });

  it('says a created identity that is not a member is to be added, not that all is well', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.identities.set('rg-aks/flux-prod', { clientId: '11111111-2222-3333-4444-555555555555', principalId: PRINCIPAL });
    expect((await check(example()))[3]).toMatch(/^skip  Azure DevOps entitlement of flux-prod in contoso: not a member yet: the deploy adds it/);
  });

  it('skips the Azure checks without a token, saying what to export, and never echoes a token', async () => {
    expect(await check(example(), { AZURE_MANAGEMENT_TOKEN: undefined })).toEqual([
      expect.stringMatching(/^skip  OIDC issuer of prod: no Azure token to read the cluster with: export AZURE_MANAGEMENT_TOKEN=\$\(az account get-access-token --resource https:\/\/management.azure.com\//),
    ]);
    const bad = 'canary\nbad token';
    const lines = await check(example(), { AZURE_MANAGEMENT_TOKEN: bad });
    expect(lines).toEqual([expect.stringMatching(/^FAIL  Azure token: AZURE_MANAGEMENT_TOKEN is not a token/)]);
    expect(lines.join('\n')).not.toContain('canary');
  });

  it('checks nothing for a cluster not in the zero-secret mode', async () => {
    const cluster = example();
    expect(await check({ ...cluster, workloadIdentity: undefined })).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('runs as part of npm run doctor, where the repositories count as read by the identity, not by an SSH key', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    const SP_TOKEN = 'canary-doctor-wi-sp-4e1d';
    const azureDevOps = new FakeAzureDevOps(['contoso'], { [bearerAuth(SP_TOKEN)]: { kind: 'servicePrincipal', name: 'pipeline-sp' } });
    azureDevOps.addRepository('contoso', 'fabrikam', 'cluster-platform');
    const devops = await azureDevOps.start();
    const file = path.join(tempDir('doctor-wi-'), 'zero-secret.yaml');
    fs.copyFileSync(path.join(__dirname, '..', 'examples', 'zero-secret.yaml'), file);
    const lines: string[] = [];
    try {
      await runDoctor({
        configFile: file,
        env: { AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: base, AZDO_DEV_URL: devops, AZDO_VSSPS_URL: devops, AZDO_ENTRA_TOKEN: SP_TOKEN, HOME: tempDir('home-') },
        out: (l) => lines.push(l),
        kubeTimeoutMs: 500,
      });
    } finally {
      await azureDevOps.stop();
    }
    expect(lines).toContain('ok    OIDC issuer of prod: https://westeurope.oic.prod-aks.azure.com/tenant/cluster/');
    expect(lines).toContain('ok    identity of prod: rg-aks/flux-prod absent; the deploy creates it');
    // A pipeline's service principal may deploy this mode: no SSH key is registered, so its token is no failure.
    expect(lines.find((l) => l.includes("token in contoso is a user's"))).toMatch(/^skip /);
    expect(lines.join('\n')).not.toContain(SP_TOKEN);
  });
});
