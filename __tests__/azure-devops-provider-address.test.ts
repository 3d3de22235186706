import { validateConfig } from '../config/load';
import { FluxAlert } from '../constructs/flux-alert';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { exampleCluster, bareStack } from './support/synth';
import { problems } from './support/config-problems';

/*
 * notification-controller v1.8.3 internal/notifier/util.go parseGitAddress and internal/notifier/azure_devops.go
 * NewAzureDevOps: the path without its leading "/" and a trailing ".git" must split into exactly four parts,
 * org/project/_git/repo, or the Provider is refused ("invalid repository id"); its test
 * TestNewAzureDevOpsInvalidUrl refuses https://dev.azure.com/foo/bar/baz.
 */
const accepted = [
  'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps',
  'https://dev.azure.com/DefaultCollection/fabrikam/_git/cluster-apps',
  'https://contoso.visualstudio.com/DefaultCollection/fabrikam/_git/cluster-apps',
  'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps.git',
  'https://dev.azure.com/contoso/My%20Project/_git/cluster-apps',
];
const refused: [string, string][] = [
  // Three parts: the controller reads org "fabrikam" and fails.
  ['https://contoso.visualstudio.com/fabrikam/_git/cluster-apps', 'has 3 path parts; notification-controller needs exactly four, <org>/<project>/_git/<repo>'],
  ['https://dev.azure.com/contoso/fabrikam/cluster-apps', 'has 3 path parts; notification-controller needs exactly four, <org>/<project>/_git/<repo>'],
  ['https://dev.azure.com/contoso/fabrikam/_git/cluster-apps/', 'has 5 path parts; notification-controller needs exactly four, <org>/<project>/_git/<repo>'],
  ['https://dev.azure.com/tfs/contoso/fabrikam/_git/cluster-apps', 'has 5 path parts; notification-controller needs exactly four, <org>/<project>/_git/<repo>'],
  ['https://dev.azure.com/contoso//_git/cluster-apps', 'has an empty path part'],
  ['https://dev.azure.com/contoso/fabrikam/git/cluster-apps', 'must have _git as its third path part'],
  ['http://dev.azure.com/contoso/fabrikam/_git/cluster-apps', 'must be https: the token would travel in clear or to the wrong path'],
  ['https://dev.azure.com/contoso/fabrikam/_git/cluster-apps?version=GBmain', 'must not have a query or fragment'],
  ['https://dev.azure.com:8443/contoso/fabrikam/_git/cluster-apps', 'must not name a port'],
  ['https://azure.example.com/contoso/fabrikam/_git/cluster-apps', 'must be on dev.azure.com or <org>.visualstudio.com'],
];
const FORM = "; use the repository's HTTPS URL, https://dev.azure.com/<org>/<project>/_git/<repo> (or https://<org>.visualstudio.com/DefaultCollection/<project>/_git/<repo>)";

describe('the address of an azuredevops Provider, as notification-controller 1.8.3 parses it', () => {
  const alert = (address: string) => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'o', { namespace: 'flux-system' });
    return new FluxAlert(stack, 'status', { delivery, type: 'azuredevops', address, secretName: 't', writer: { ring: 1, cluster: 'dev' }, eventSources: [{ kind: 'Kustomization', name: 'apps' }] });
  };
  const config = (address: string) =>
    validateConfig({ clusters: [exampleCluster({ notifications: { providers: [{ name: 'status', type: 'azuredevops', address, secretName: 'ado-token' }] } })] }, 'fleet.yaml');

  it.each(accepted)('FluxAlert and the config accept %s', (address) => {
    expect(alert(address).provider.spec.address).toBe(address);
    expect(config(address).clusters[0].notifications!.providers![0].address).toBe(address);
  });

  it.each(refused)('FluxAlert refuses %s', (address, message) => {
    expect(() => alert(address)).toThrow(`FluxAlert test/status: address ${JSON.stringify(address)} is not valid; ${message}${FORM}`);
  });

  it.each(refused)('the config loader refuses %s first, naming the field', (address, message) => {
    // A query value is never echoed (config/data.ts masks it: it may be a token).
    const shown = address.replace('?version=GBmain', '?version=***');
    expect(problems(() => config(address))).toEqual([`clusters[0].notifications.providers[0].address: ${message}${FORM} (got ${JSON.stringify(shown)})`]);
  });
});
