import { ClusterConfig } from '../config/schema';
import { validateConfig } from '../config/load';
import { checkFluxObject } from '../flux/crd-rules';
import { problems } from './support/config-problems';
import { exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, resourcesOf, synthCluster, withoutMetadata } from './support/synth';

const withReceiver = (extra: Partial<ClusterConfig> = {}): ClusterConfig =>
  exampleCluster({
    receiver: { publicUrl: 'https://flux-webhook.example.com', ingress: { className: 'nginx', tlsSecretName: 'flux-webhook-tls' } },
    ...extra,
  });

describe('push-triggered reconcile', () => {
  const json = synthCluster(withReceiver());
  const objects = fluxObjects(json);
  const password = resourceAt(json, 'random_password', 'receiver-platform/token');

  it('delivers a generic v1 Receiver per Azure Repos repository, reconciling its GitRepository', () => {
    const receiver = objectOf(objects, 'Receiver', 'platform-push');
    expect(receiver).toEqual({
      apiVersion: 'notification.toolkit.fluxcd.io/v1',
      kind: 'Receiver',
      metadata: { name: 'platform-push', namespace: 'flux-system' },
      spec: { type: 'generic', resources: [{ kind: 'GitRepository', name: 'platform' }], secretRef: { name: 'platform-push-token' } },
    });
    expect(checkFluxObject(receiver)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Receiver').map((o) => o.metadata.name).sort()).toEqual(['apps-push', 'platform-push']);
  });

  it('labels every Secret the stack creates, the construct-made and the stack-made alike, as managed by this package', () => {
    const secrets = resourcesOf(json, 'kubernetes_secret_v1').map(([, body]) => body.metadata);
    expect(secrets.map((m) => m.name).sort()).toEqual(['apps-push-token', 'flux-azure-devops-token', 'flux-git-auth', 'platform-push-token']);
    for (const metadata of secrets) expect(metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' });
  });

  it('creates every Secret after the flux2 release, which creates their namespace', () => {
    const flux = resourceAt(json, 'helm_release', 'flux/release').address;
    const orders = resourcesOf(json, 'kubernetes_secret_v1').map(([, body]) => [body.metadata.name, (body.depends_on ?? []).includes(flux)]);
    expect(orders.sort()).toEqual([
      ['apps-push-token', true],
      ['flux-azure-devops-token', true],
      ['flux-git-auth', true],
      ['platform-push-token', true],
    ]);
  });

  it('generates the token and keeps it in a Secret, never in the JSON', () => {
    expect(withoutMetadata(password.body)).toEqual({ length: 40, special: false });
    const secret = resourceAt(json, 'kubernetes_secret_v1', 'receiver-platform/secret');
    expect(withoutMetadata(secret.body)).toEqual({
      metadata: { name: 'platform-push-token', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' } },
      type: 'Opaque',
      data: { token: `\${${password.address}.result}` },
      // The flux2 release creates the namespace: without this the Secret can come first on a fresh cluster and fail.
      depends_on: [resourceAt(json, 'helm_release', 'flux/release').address],
    });
    expect(resourceAt(json, 'helm_release', 'flux-objects/release').body.depends_on).toContain(secret.address);
  });

  it('computes the webhook path as Flux does: sha256 of token, name and namespace, in that order', () => {
    const url = Object.values<string>(json.locals!).find((v) => v.includes(password.address));
    expect(url).toBe(`https://flux-webhook.example.com/hook/\${sha256("\${${password.address}.result}platform-pushflux-system")}`);
  });

  it('subscribes an Azure DevOps service hook on git push of that repository to the Receiver', () => {
    const hook = resourceAt(json, 'azuredevops_servicehook_webhook_tfs', 'push-hook-platform');
    const project = resourceAt({ resource: json.data }, 'azuredevops_project', 'azure-repos-platform/project');
    const repo = resourceAt({ resource: json.data }, 'azuredevops_git_repository', 'azure-repos-platform/repository');
    expect(withoutMetadata(hook.body)).toEqual({
      project_id: `\${data.azuredevops_project.${project.id}.id}`,
      git_push: { repository_id: `\${data.azuredevops_git_repository.${repo.id}.id}` },
      resource_details_to_send: 'none',
      messages_to_send: 'none',
      detailed_messages_to_send: 'none',
      url: hook.body.url,
      depends_on: [resourceAt(json, 'helm_release', 'flux-objects/release').address],
    });
    expect(hook.body.url).toMatch(/^\$\{local\.[^}]+\}$/);
    expect(json.locals![hook.body.url.slice(8, -1)]).toContain(password.address);
  });

  it('keeps taking the URLs of url-given repositories from the config, not from the lookups the hooks need', () => {
    expect(objectOf(objects, 'GitRepository', 'platform').spec.url).toBe('ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-platform');
  });

  it('lets the flux2 chart expose the webhook receiver on the public host', () => {
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).notificationController.webhookReceiver).toEqual({
      ingress: {
        create: true,
        ingressClassName: 'nginx',
        annotations: {},
        hosts: [{ host: 'flux-webhook.example.com', paths: [{ path: '/hook/', pathType: 'Prefix' }] }],
        tls: [{ secretName: 'flux-webhook-tls', hosts: ['flux-webhook.example.com'] }],
      },
    });
  });

  it('is absent without a receiver config', () => {
    const plain = synthCluster();
    expect(resourcesOf(plain, 'azuredevops_servicehook_webhook_tfs')).toEqual([]);
    expect(fluxObjects(plain).filter((o) => o.kind === 'Receiver')).toEqual([]);
  });

  it.each([
    [
      { receiver: { publicUrl: 'http://flux-webhook.example.com' } },
      ['clusters[0].receiver.publicUrl: must match ^https://[^/\\s?#]+(/[^\\s?#]*)?$ (an https:// URL without query) (got "http://flux-webhook.example.com")'],
    ],
    [
      { receiver: { publicUrl: 'https://x.example.com' }, flux: { components: { notification: false } } },
      [
        'clusters[0].flux.components.notification: must be on for receiver: notification-controller serves the webhook (got false)',
        'clusters[0].flux.components.notification: must be on: the stack delivers Alerts and Providers for the GitOps Connector of platform, apps (connector.enabled), the Azure DevOps commit statuses (notifications.commitStatus), which only notification-controller serves; turn those off to run without it (got false)',
      ],
    ],
    [
      { receiver: { publicUrl: 'https://x.example.com' }, knownHosts: { entries: ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'] }, gitIdentity: { algorithm: 'ED25519' as const }, repositories: [{ name: 'gh', url: 'git@github.com:o/r.git' }] },
      ['clusters[0].receiver: has no Azure Repos repository to hook: service hooks exist only in Azure DevOps'],
    ],
  ])('config %j is refused', (extra, expected) => {
    expect(problems(() => validateConfig({ clusters: [exampleCluster(extra as Partial<ClusterConfig>)] }, 'x'))).toEqual(expected);
  });
});
