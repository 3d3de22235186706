import { FluxGitOpsConfig } from './schema';

/**
 * The config used when none is given: one cluster syncing two Azure Repos repositories, the second
 * ordered after the first. It needs no credentials to synthesize; to deploy it, point the kubeconfig
 * at a real cluster and the URLs at real repositories (see README, "Deploy for real").
 */
export const EXAMPLE_CONFIG: FluxGitOpsConfig = {
  clusters: [
    {
      name: 'example',
      kubeconfig: { path: '~/.kube/config', context: 'example-aks' },
      repositories: [
        {
          name: 'platform',
          url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-platform',
          ref: { branch: 'main' },
          path: './clusters/example',
          interval: '5m',
          timeout: '5m',
          wait: true,
        },
        {
          name: 'apps',
          url: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps',
          ref: { branch: 'main' },
          path: './clusters/example',
          interval: '5m',
          dependsOn: ['platform'],
        },
      ],
    },
  ],
};
