import {
  azureDevOpsHttpsUrl,
  azureDevOpsProjectUrl,
  azureDevOpsSshUrl,
  normaliseGitUrl,
  parseAzureDevOpsUrl,
} from '../azure-devops/urls';

const repo = { organization: 'contoso', project: 'fabrikam', repository: 'cluster-manifests' };
const SSH = 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-manifests';
const HTTPS = 'https://dev.azure.com/contoso/fabrikam/_git/cluster-manifests';

describe('Azure Repos URLs', () => {
  it.each([
    ['the scp-like SSH URL the web UI shows', 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests'],
    ['the ssh:// URL', SSH],
    ['the ssh:// URL with port 22', 'ssh://git@ssh.dev.azure.com:22/v3/contoso/fabrikam/cluster-manifests'],
    ['the HTTPS clone URL', HTTPS],
    ['the HTTPS clone URL with a user name', 'https://contoso@dev.azure.com/contoso/fabrikam/_git/cluster-manifests'],
    ['the legacy visualstudio.com HTTPS URL', 'https://contoso.visualstudio.com/fabrikam/_git/cluster-manifests'],
    ['the legacy DefaultCollection URL', 'https://contoso.visualstudio.com/DefaultCollection/fabrikam/_git/cluster-manifests'],
    ['the legacy vs-ssh host', 'contoso@vs-ssh.visualstudio.com:v3/contoso/fabrikam/cluster-manifests'],
    ['a URL with .git appended', 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests.git'],
  ])('recognises %s and normalises it to ssh:// and https://', (_, url) => {
    expect(parseAzureDevOpsUrl(url)).toEqual(repo);
    expect(normaliseGitUrl(url, 'ssh')).toBe(SSH);
    expect(normaliseGitUrl(url, 'https')).toBe(HTTPS);
  });

  it('keeps spaces in project names percent-encoded, as Azure DevOps writes them', () => {
    const parsed = parseAzureDevOpsUrl('https://dev.azure.com/contoso/My%20Project/_git/infra');
    expect(parsed).toEqual({ organization: 'contoso', project: 'My Project', repository: 'infra' });
    expect(azureDevOpsSshUrl(parsed!)).toBe('ssh://git@ssh.dev.azure.com/v3/contoso/My%20Project/infra');
    expect(azureDevOpsHttpsUrl(parsed!)).toBe('https://dev.azure.com/contoso/My%20Project/_git/infra');
    expect(azureDevOpsProjectUrl(parsed!)).toBe('https://dev.azure.com/contoso/My%20Project');
  });

  it('does not take other hosts for Azure Repos', () => {
    expect(parseAzureDevOpsUrl('git@github.com:fluxcd/flux2.git')).toBeUndefined();
    expect(parseAzureDevOpsUrl('https://dev.azure.com/contoso/fabrikam/_build')).toBeUndefined();
  });

  it('turns scp-like URLs of other hosts into ssh:// and keeps ssh:// and https:// URLs', () => {
    expect(normaliseGitUrl('git@github.com:fluxcd/flux2.git', 'ssh')).toBe('ssh://git@github.com/fluxcd/flux2.git');
    expect(normaliseGitUrl('ssh://git@gitlab.example.com:2222/group/repo.git', 'ssh')).toBe('ssh://git@gitlab.example.com:2222/group/repo.git');
    expect(normaliseGitUrl('https://github.com/fluxcd/flux2', 'https')).toBe('https://github.com/fluxcd/flux2');
  });

  it.each([
    ['a bare path', '/srv/git/repo', 'ssh'],
    ['an ftp URL', 'ftp://example.com/repo', 'ssh'],
    ['an https URL over ssh', 'https://github.com/fluxcd/flux2', 'ssh'],
    ['an ssh URL over https', 'ssh://git@github.com/fluxcd/flux2', 'https'],
    ['an empty string', '', 'ssh'],
  ] as const)('rejects %s, naming the value and the accepted forms', (_, url, transport) => {
    expect(() => normaliseGitUrl(url, transport)).toThrow(JSON.stringify(url));
  });

  it('explains the accepted forms', () => {
    expect(() => normaliseGitUrl('/srv/git/repo', 'ssh')).toThrow(/git@ssh\.dev\.azure\.com:v3\/org\/project\/repo/);
  });
});
