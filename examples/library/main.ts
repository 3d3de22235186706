// A cdktf app that composes cdktf-flux-gitops's constructs itself, without its config loader:
// two clusters, one stack each. Synthesize with `npx cdktf synth` (or `npx ts-node main.ts`).
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import {
  AksClusterAccess,
  AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG,
  AzureDevOpsSshKey,
  ClusterAccess,
  FluxAlert,
  FluxGitSecret,
  FluxGitSync,
  FluxInstall,
  FluxKustomization,
  FluxObjectsRelease,
  FluxStackChecks,
  GitIdentity,
  GitOpsConnector,
  KnownHosts,
} from 'cdktf-flux-gitops';

interface ClusterProps {
  /** How Terraform reaches the cluster: a kubeconfig context, or an AKS cluster through kubelogin. */
  readonly access: { readonly kubeconfig: { readonly context: string } } | { readonly aks: AksClusterAccess };
  /** The cluster's folder in the platform repository. */
  readonly path: string;
}

class ClusterStack extends TerraformStack {
  public readonly delivery: FluxObjectsRelease;
  public readonly platform: FluxGitSync;

  constructor(scope: Construct, name: string, props: ClusterProps) {
    super(scope, name);
    // The kubernetes and helm providers; the constructs below need them, and the stack must add them.
    new ClusterAccess(this, 'cluster', props.access);
    // The git key (tls), its registration in Azure DevOps (null, time): their providers too.
    new TlsProvider(this, 'tls');
    new NullProvider(this, 'null');
    new TimeProvider(this, 'time');

    // Azure DevOps' SSH server signs only with rsa-sha2-*: source-controller must offer those.
    const flux = new FluxInstall(this, 'flux', { sourceControllerArgs: [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] });
    const identity = new GitIdentity(this, 'git-identity');
    // Registers the public key for the user whose token runs the deploy (AZDO_ENTRA_TOKEN).
    const key = new AzureDevOpsSshKey(this, 'ssh-key', { organization: 'contoso', identity, displayName: `flux ${name}: fabrikam/cluster-platform` });
    const secret = new FluxGitSecret(this, 'git-auth', {
      namespace: flux.namespace,
      ssh: { identity, knownHosts: new KnownHosts(this, 'known-hosts') },
      dependsOn: [flux.release, key.registration],
    });
    this.delivery = new FluxObjectsRelease(this, 'flux-objects', { namespace: flux.namespace, dependsOn: [flux.release, secret.secret] });
    this.platform = new FluxGitSync(this, 'platform', {
      delivery: this.delivery,
      url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-platform',
      secretName: secret.secretName,
      path: props.path,
    });
  }
}

const app = new App();
new ClusterStack(app, 'dev', { access: { kubeconfig: { context: 'aks-dev' } }, path: './clusters/dev' });

const prod = new ClusterStack(app, 'prod', {
  access: { aks: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg-aks', name: 'aks-prod' } },
  path: './clusters/prod',
});
// A Kustomization of its own on the platform repository: the apps, once the platform and the
// cluster's bootstrap Kustomization (made by `flux bootstrap`, outside this stack) are ready.
const apps = new FluxKustomization(prod, 'apps', {
  delivery: prod.delivery,
  source: prod.platform,
  path: './apps/prod',
  dependsOn: [prod.platform.kustomization!.metadata.name, 'flux-system'],
  substitute: { cluster: 'prod' },
});
FluxStackChecks.acknowledge(apps, 'FLUX-DEPENDS-ON', 'flux-system is the Kustomization of flux bootstrap, outside this stack');
// Commit statuses on the platform repository, through the GitOps Connector.
const connector = new GitOpsConnector(prod, 'connector', {
  repository: { organization: 'contoso', project: 'fabrikam', repository: 'cluster-platform' },
  pat: new TerraformVariable(prod, 'gitops_connector_pat', { type: 'string', sensitive: true }).stringValue,
});
new FluxAlert(prod, 'to-connector', { delivery: prod.delivery, type: 'generic', address: connector.address });
app.synth();
