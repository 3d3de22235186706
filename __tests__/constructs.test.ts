import { TerraformStack, TerraformVariable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { FluxGitSecret } from '../constructs/flux-git-secret';
import { FluxGitSync, FluxGitSyncProps } from '../constructs/flux-git-sync';
import { FluxInstall } from '../constructs/flux-install';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { GitIdentity } from '../constructs/git-identity';
import { KnownHosts } from '../constructs/known-hosts';
import { FluxStackChecks } from '../flux/stack-checks';
import { bareStack, fluxObjects, objectOf, releaseValues, resourceAt, synthApp, withoutMetadata } from './support/synth';

/** A stack with the providers the constructs need, built by `build`, synthesized. */
function synthWith(build: (stack: TerraformStack) => void) {
  return synthApp((app) => {
    const stack = new TerraformStack(app, 'test');
    new KubernetesProvider(stack, 'kubernetes', {});
    new HelmProvider(stack, 'helm', {});
    new TlsProvider(stack, 'tls');
    new NullProvider(stack, 'null');
    // These tests read one construct's output; the checks across a stack have their own tests.
    FluxStackChecks.acknowledge(stack, 'FLUX-GIT-SSH-SECRET', 'single-construct test: no git Secret in this stack');
    FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', 'single-construct test: dependencies live outside this stack');
    build(stack);
  }).stack('test');
}

describe('FluxInstall', () => {
  it('defaults to flux-system, chart 2.18.3 and source, kustomize, helm and notification on', () => {
    const json = synthWith((s) => new FluxInstall(s, 'flux'));
    const release = resourceAt(json, 'helm_release', 'flux/release').body;
    const { values: _values, ...attributes } = withoutMetadata(release);
    expect(attributes).toEqual({
      name: 'flux2',
      chart: 'flux2',
      repository: 'https://fluxcd-community.github.io/helm-charts',
      version: '2.18.3',
      namespace: 'flux-system',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 600,
    });
    const values = releaseValues(release);
    expect({
      source: values.sourceController.create,
      kustomize: values.kustomizeController.create,
      helm: values.helmController.create,
      notification: values.notificationController.create,
      imageAutomation: values.imageAutomationController.create,
      imageReflection: values.imageReflectionController.create,
    }).toEqual({ source: true, kustomize: true, helm: true, notification: true, imageAutomation: false, imageReflection: false });
    expect(values.sourceController.container.additionalArgs).toEqual([]);
  });

  it('can let Helm remove the CRDs when asked', () => {
    const json = synthWith((s) => new FluxInstall(s, 'flux', { keepCrds: false }));
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).crds.annotations).toEqual({});
  });

  it.each([
    [{ namespace: 'Flux_System' }, /namespace "Flux_System" is not an RFC 1123 label/],
    [{ chartVersion: '^2.18.0' }, /chartVersion "\^2.18.0" is not an exact chart version/],
    [{ chartVersion: 'latest' }, /chartVersion "latest"/],
    [{ chartRepository: 'http://charts.example.com' }, /chartRepository "http:\/\/charts.example.com" is not valid; use an https:\/\/ Helm repository/],
    [{ timeoutSeconds: 0 }, /timeoutSeconds 0 must be a positive integer/],
    [{ components: { source: false } }, /components must keep source on while kustomize or helm is on/],
  ])('fails on %j', (props, message) => {
    expect(() => new FluxInstall(bareStack(), 'flux', props)).toThrow(message);
  });
});

describe('GitIdentity', () => {
  it.each([
    [{}, { algorithm: 'RSA', rsa_bits: 4096 }],
    [{ rsaBits: 3072 }, { algorithm: 'RSA', rsa_bits: 3072 }],
    [{ algorithm: 'ECDSA' as const }, { algorithm: 'ECDSA', ecdsa_curve: 'P384' }],
    [{ algorithm: 'ECDSA' as const, ecdsaCurve: 'P256' as const }, { algorithm: 'ECDSA', ecdsa_curve: 'P256' }],
    [{ algorithm: 'ED25519' as const }, { algorithm: 'ED25519' }],
  ])('generates %j as %j', (props, expected) => {
    const json = synthWith((s) => new GitIdentity(s, 'id', props));
    const { lifecycle, ...body } = resourceAt(json, 'tls_private_key', 'id/key').body as any;
    delete body['//'];
    expect(body).toEqual(expected);
    expect(lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [resourceAt(json, 'null_resource', 'id/rotation').address] });
  });

  it('exposes the public key, its fingerprint and the private key as references to the generated key', () => {
    let identity!: GitIdentity;
    const json = synthWith((s) => {
      identity = new GitIdentity(s, 'id');
      new KubernetesProvider(s, 'unused', { alias: 'unused' });
      new TerraformVariable(s, 'probe', { default: identity.publicKeyFingerprintSha256 });
    });
    const address = `tls_private_key.${resourceAt(json, 'tls_private_key', 'id/key').id}`;
    expect(json.variable!.probe.default).toBe(`\${${address}.public_key_fingerprint_sha256}`);
    expect(identity.algorithm).toBe('RSA');
  });

  it.each([
    [{ algorithm: 'DSA' as any }, /algorithm "DSA" is not supported; use one of RSA, ECDSA, ED25519/],
    [{ rsaBits: 1024 }, /rsaBits 1024 is not allowed; use one of 2048, 3072, 4096/],
    [{ algorithm: 'ED25519' as const, rsaBits: 4096 }, /rsaBits 4096 is not allowed/],
    [{ algorithm: 'RSA' as const, ecdsaCurve: 'P256' as const }, /ecdsaCurve "P256" is not allowed/],
    [{ rotation: -1 }, /rotation -1 is not allowed; use a whole number >= 0/],
    [{ rotation: 1.5 }, /rotation 1.5 is not allowed/],
  ])('fails on %j', (props, message) => {
    expect(() => new GitIdentity(bareStack(), 'id', props)).toThrow(message);
  });
});

describe('FluxGitSecret', () => {
  it('refuses a literal PAT, so it can never reach the synthesized JSON', () => {
    expect(() => new FluxGitSecret(bareStack(), 's', { namespace: 'flux-system', https: { password: 'not-a-reference' } })).toThrow(
      /https.password is a literal string; pass a sensitive TerraformVariable/,
    );
  });

  it('takes a PAT as a sensitive variable and writes username/password', () => {
    const json = synthWith((s) => {
      const pat = new TerraformVariable(s, 'git_pat', { type: 'string', sensitive: true });
      new FluxGitSecret(s, 's', { namespace: 'flux-system', https: { password: pat.stringValue } });
    });
    expect(resourceAt(json, 'kubernetes_secret_v1', 's/secret').body.data).toEqual({ username: 'git', password: '${var.git_pat}' });
    expect(json.variable!.git_pat.sensitive).toBe(true);
  });

  it('needs exactly one of ssh and https', () => {
    expect(() => new FluxGitSecret(bareStack(), 's', { namespace: 'flux-system' })).toThrow(/set exactly one of ssh and https \(got neither\)/);
    const stack = bareStack();
    const ssh = { identity: new GitIdentity(stack, 'id'), knownHosts: new KnownHosts(stack, 'kh') };
    expect(() => new FluxGitSecret(stack, 's', { namespace: 'flux-system', ssh, https: { password: '${var.x}' } })).toThrow(/\(got both\)/);
  });

  it.each([
    [{ name: 'Flux Git' }, /name "Flux Git" is not an RFC 1123 name/],
    [{ namespace: 'a'.repeat(64) }, /namespace "a{64}" is not an RFC 1123 label/],
  ])('fails on %j', (override, message) => {
    const stack = bareStack();
    const ssh = { identity: new GitIdentity(stack, 'id'), knownHosts: new KnownHosts(stack, 'kh') };
    expect(() => new FluxGitSecret(stack, 's', { namespace: 'flux-system', ssh, ...override })).toThrow(message);
  });
});

describe('FluxGitSync', () => {
  const base = (delivery: FluxObjectsRelease): FluxGitSyncProps => ({ delivery, url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/infra' });

  it('uses the construct id as the name and the defaults of the class', () => {
    const json = synthWith((s) => new FluxGitSync(s, 'infra', base(new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' }))));
    const objects = fluxObjects(json, 'objects/release');
    expect(objectOf(objects, 'GitRepository', 'infra').spec).toEqual({
      url: 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/infra',
      interval: '5m',
      ref: { branch: 'main' },
    });
    expect(objectOf(objects, 'Kustomization', 'infra').spec).toEqual({
      interval: '5m',
      path: './',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: 'infra' },
      deletionPolicy: 'Orphan',
    });
  });

  it('writes every optional field it is given', () => {
    const json = synthWith((s) => {
      const delivery = new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' });
      const first = new FluxGitSync(s, 'first', base(delivery));
      new FluxGitSync(s, 'second', {
        ...base(delivery),
        name: 'second',
        ref: { tag: 'v1.2.3' },
        secretName: 'flux-git-auth',
        sourceTimeout: '90s',
        timeout: '10m',
        retryInterval: '1m',
        dependsOn: [first, 'external'],
        targetNamespace: 'apps',
        deletionPolicy: 'MirrorPrune',
        healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
        substitute: { cluster: 'dev' },
      });
    });
    const objects = fluxObjects(json, 'objects/release');
    expect(objectOf(objects, 'GitRepository', 'second').spec).toEqual({
      url: 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/infra',
      interval: '5m',
      ref: { tag: 'v1.2.3' },
      timeout: '90s',
      secretRef: { name: 'flux-git-auth' },
    });
    expect(objectOf(objects, 'Kustomization', 'second').spec).toEqual({
      interval: '5m',
      sourceRef: { kind: 'GitRepository', name: 'second' },
      path: './',
      prune: true,
      // healthChecks are read only without wait (wait checks every applied object instead).
      wait: false,
      timeout: '10m',
      retryInterval: '1m',
      dependsOn: [{ name: 'first' }, { name: 'external' }],
      targetNamespace: 'apps',
      deletionPolicy: 'MirrorPrune',
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
      postBuild: { substitute: { cluster: 'dev' } },
    });
  });

  it('uses workload identity over https with provider azure, without a Secret', () => {
    const json = synthWith((s) =>
      new FluxGitSync(s, 'infra', { ...base(new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' })), provider: 'azure' }),
    );
    expect(objectOf(fluxObjects(json, 'objects/release'), 'GitRepository', 'infra').spec).toEqual({
      url: 'https://dev.azure.com/contoso/fabrikam/_git/infra',
      interval: '5m',
      ref: { branch: 'main' },
      provider: 'azure',
    });
  });

  it.each<[string, Partial<FluxGitSyncProps>, RegExp]>([
    ['a name that is not a label', { name: 'Infra' }, /name "Infra" is not valid; use an RFC 1123 label/],
    ['an interval that is not a Go duration', { interval: '5 minutes' }, /interval "5 minutes" is not valid; use a Go duration/],
    ['a source timeout in hours', { sourceTimeout: '1h' }, /sourceTimeout "1h" is not valid; use a Go duration without hours/],
    ['two refs at once', { ref: { branch: 'main', tag: 'v1' } }, /ref \{"branch":"main","tag":"v1"\} is not valid; set one of branch, tag, semver, name, commit/],
    ['an unknown ref kind', { ref: { brunch: 'main' } as any }, /ref \{"brunch":"main"\} is not valid/],
    ['an empty branch', { ref: { branch: ' ' } }, /ref.branch " " is not valid; use a non-empty string/],
    ['a short commit', { ref: { commit: 'abc123' } }, /ref.commit "abc123" is not valid; use a full 40-character/],
    ['a bad URL', { url: 'file:///srv/repo' }, /url: "file:\/\/\/srv\/repo" is not a git URL Flux can use over ssh/],
    ['an unknown deletion policy', { deletionPolicy: 'Keep' as any }, /deletionPolicy "Keep" is not valid; use one of Orphan, MirrorPrune, Delete, WaitForTermination/],
    ['a dependency on itself', { dependsOn: ['infra'] }, /dependsOn\[0\] "infra" is not valid; a Kustomization cannot depend on itself/],
    ['a service account without provider azure', { serviceAccountName: 'flux' }, /serviceAccountName "flux" is not valid; it may only be set with provider "azure"/],
    ['a Secret with provider azure', { provider: 'azure', secretName: 'x' }, /secretName "x" is not valid; provider "azure" authenticates with workload identity/],
    ['ssh with provider azure', { provider: 'azure', transport: 'ssh' }, /transport "ssh" is not valid; provider "azure" works over https only/],
    ['a path with spaces', { path: './my path' }, /path ".\/my path" is not valid/],
  ])('fails on %s', (_, override, message) => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' });
    expect(() => new FluxGitSync(stack, 'infra', { ...base(delivery), ...override })).toThrow(message);
  });
});

describe('FluxObjectsRelease', () => {
  it('refuses two objects of one kind, namespace and name', () => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' });
    new FluxGitSync(stack, 'a', { delivery, name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' });
    expect(() => new FluxGitSync(stack, 'b', { delivery, name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' })).toThrow(
      /GitRepository flux-system\/infra is added twice/,
    );
  });

  it('fails the synth when an object breaks its CRD rules, naming the object, the field and the value', () => {
    expect(() =>
      synthWith((s) => {
        const delivery = new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' });
        delivery.add({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'broken', namespace: 'flux-system' },
          spec: { interval: 'soon', prune: true, sourceRef: { kind: 'GitRepository', name: 'x' }, deletionPolicy: 'Keep' as any },
        });
      }),
    ).toThrow(/Kustomization flux-system\/broken would be rejected by its CRD:[\s\S]*spec.interval: must match .* \(got "soon"\)[\s\S]*spec.deletionPolicy: must be one of/);
  });

  it('is ordered after what it is given to depend on', () => {
    const json = synthWith((s) => {
      const install = new FluxInstall(s, 'flux');
      new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system', dependsOn: [install.release, new GitIdentity(s, 'id').key] });
    });
    expect(resourceAt(json, 'helm_release', 'objects/release').body.depends_on).toEqual([
      `helm_release.${resourceAt(json, 'helm_release', 'flux/release').id}`,
      `tls_private_key.${resourceAt(json, 'tls_private_key', 'id/key').id}`,
    ]);
  });

  it('rejects a namespace that is not a label', () => {
    expect(() => new FluxObjectsRelease(bareStack(), 'o', { namespace: 'Flux' })).toThrow(/namespace "Flux" is not an RFC 1123 label/);
  });
});

describe('literal text in Helm values', () => {
  it('escapes ${...} and %{...} so Terraform passes them through instead of evaluating them', () => {
    const json = synthWith((s) => {
      const delivery = new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' });
      new FluxGitSync(s, 'infra', { delivery, url: 'git@ssh.dev.azure.com:v3/o/p/r', substitute: { greeting: 'hello ${name} %{if x}' } });
    });
    const raw: string = resourceAt(json, 'helm_release', 'objects/release').body.values[0];
    expect(raw).toContain('"greeting":"hello $${name} %%{if x}"');
    expect(raw).not.toMatch(/[^$]\$\{name\}/);
  });

  it('leaves the references cdktf resolves alone', () => {
    const json = synthWith((s) => {
      const delivery = new FluxObjectsRelease(s, 'objects', { namespace: 'flux-system' });
      const pat = new TerraformVariable(s, 'branch', { type: 'string' });
      new FluxGitSync(s, 'infra', { delivery, url: 'git@ssh.dev.azure.com:v3/o/p/r', ref: { branch: pat.stringValue } });
    });
    expect(objectOf(fluxObjects(json, 'objects/release'), 'GitRepository', 'infra').spec.ref).toEqual({ branch: '${var.branch}' });
  });
});
