import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { receiverName } from '../config/repositories';
import { ClusterConfig } from '../config/schema';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import type { FluxObjectsRelease } from '../constructs/flux-objects-release';
import type { FluxReceiver } from '../constructs/flux-receiver';
import type { Entry } from './sources';

/*
 * Required when used: every synth pays for what it loads, and most stacks have no push receivers
 * (see bench/README.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const receiverModules = () => ({
  ...(require('@cdktf/provider-random/lib/provider') as typeof import('@cdktf/provider-random/lib/provider')),
  ...(require('../constructs/flux-receiver') as typeof import('../constructs/flux-receiver')),
  ...(require('../.gen/providers/azuredevops/servicehook-webhook-tfs') as typeof import('../.gen/providers/azuredevops/servicehook-webhook-tfs')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** Push-triggered reconcile: one Receiver in `namespace` per repository of `receiving`, by config name; their Secrets after `afterFlux`. */
export function addReceivers(
  scope: Construct,
  cluster: ClusterConfig,
  receiving: readonly Entry[],
  namespace: string,
  afterFlux: ITerraformDependable[],
): Map<string, FluxReceiver> {
  if (receiving.length === 0) return new Map();
  const { RandomProvider, FluxReceiver } = receiverModules();
  new RandomProvider(scope, 'random');
  return new Map(
    receiving.map(({ repo }) => [
      repo.name,
      new FluxReceiver(scope, `receiver-${repo.name}`, {
        namespace,
        name: receiverName(repo.name),
        resources: [{ kind: 'GitRepository', name: repo.name }],
        publicUrl: cluster.receiver!.publicUrl,
        dependsOn: afterFlux,
      }),
    ]),
  );
}

/** Each Receiver into the Flux objects release, and an Azure DevOps service hook that calls it on a push. */
export function addPushHooks(
  scope: Construct,
  receivers: ReadonlyMap<string, FluxReceiver>,
  repositories: ReadonlyMap<string, AzureDevOpsRepository>,
  delivery: FluxObjectsRelease,
): void {
  if (receivers.size === 0) return;
  const { ServicehookWebhookTfs } = receiverModules();
  for (const [name, receiver] of receivers) {
    delivery.add(receiver.receiver);
    const repo = repositories.get(name)!;
    // A push to the repository calls the Receiver, which makes source-controller fetch now.
    new ServicehookWebhookTfs(scope, `push-hook-${name}`, {
      provider: repo.provider,
      projectId: repo.projectId,
      url: receiver.webhookUrl,
      gitPush: { repositoryId: repo.repositoryId },
      // The generic Receiver reads nothing from the body: send none of it.
      resourceDetailsToSend: 'none',
      messagesToSend: 'none',
      detailedMessagesToSend: 'none',
      dependsOn: [delivery.release],
    });
  }
}
