import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { FluxBucket } from '../constructs/flux-bucket';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall, FluxInstallProps } from '../constructs/flux-install';
import { FluxKustomization } from '../constructs/flux-kustomization';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { FluxOciRepository } from '../constructs/flux-oci-repository';
import { FluxStackChecks } from '../flux/stack-checks';
import { tempDir } from './support/synth';

const CLIENT_ID = '00000000-0000-0000-0000-000000000001';

/**
 * A stack with a Flux install (Azure DevOps host key algorithms on unless `install` says otherwise)
 * and a release `objects`, filled by `build`; returns the synth error text, or '' when synth passes.
 */
function findings(build: (stack: TerraformStack, delivery: FluxObjectsRelease) => void, install: FluxInstallProps = {}): { error: string; infos: string[] } {
  const app = new App({ outdir: tempDir('cdktf.out.'), stackTraces: false });
  const stack = new TerraformStack(app, 'test');
  new HelmProvider(stack, 'helm', {});
  new FluxInstall(stack, 'flux', { sourceControllerArgs: [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG], ...install });
  build(stack, new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' }));
  let error = '';
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const infos = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type.endsWith('info')).map((m) => `[${c.node.path}] ${m.data}`));
  return { error, infos };
}

const ado = 'git@ssh.dev.azure.com:v3/contoso/fabrikam/infra';

describe('FluxStackChecks, one finding at a time', () => {
  it('passes a stack whose constructs fit together', () => {
    expect(
      findings((stack, delivery) => {
        const platform = new FluxGitSync(stack, 'platform', { delivery, url: ado, secretName: 'flux-git-auth' });
        new FluxGitSync(stack, 'apps', { delivery, url: 'https://github.com/stefanprodan/podinfo', transport: 'https', dependsOn: [platform] });
      }),
    ).toEqual({ error: '', infos: [] });
  });

  it.each<[string, (stack: TerraformStack, delivery: FluxObjectsRelease) => void, FluxInstallProps, RegExp]>([
    [
      'a GitRepository over SSH with no SSH Secret',
      (stack, delivery) => new FluxGitSync(stack, 'infra', { delivery, url: ado }),
      {},
      /\[test\/infra\] \[FLUX-GIT-SSH-SECRET\] GitRepository flux-system\/infra fetches ssh:\/\/git@ssh.dev.azure.com\/v3\/contoso\/fabrikam\/infra with no secretRef/,
    ],
    [
      'a GitRepository on Azure Repos over HTTPS with no credentials',
      (stack, delivery) => new FluxGitSync(stack, 'infra', { delivery, url: ado, transport: 'https' }),
      {},
      /\[test\/infra\] \[FLUX-GIT-HTTPS-CREDENTIALS\] GitRepository flux-system\/infra fetches https:\/\/dev.azure.com\/contoso\/fabrikam\/_git\/infra with no secretRef and no provider azure/,
    ],
    [
      'a dependsOn naming no Kustomization of the stack',
      (stack, delivery) => new FluxGitSync(stack, 'infra', { delivery, url: ado, secretName: 's', dependsOn: ['platfrom'] }),
      {},
      /\[test\/infra\] \[FLUX-DEPENDS-ON\] Kustomization flux-system\/infra depends on flux-system\/platfrom, which no construct of the stack delivers/,
    ],
    [
      'two Flux installs with the same release name and namespace',
      (stack) => new FluxInstall(stack, 'flux-again', {}),
      {},
      /\[test\/flux-again\] \[FLUX-INSTALL-TWICE\] release flux-system\/flux2 is also installed by test\/flux/,
    ],
    [
      'an Azure DevOps SSH repository without the host key algorithms on source-controller',
      (stack, delivery) => new FluxGitSync(stack, 'infra', { delivery, url: ado, secretName: 's' }),
      { sourceControllerArgs: [] },
      /\[test\/infra\] \[FLUX-AZURE-DEVOPS-HOSTKEY-ALGOS\] GitRepository flux-system\/infra is on ssh.dev.azure.com and no Flux install of the stack passes --ssh-hostkey-algos/,
    ],
    [
      'SOPS decryption without a Secret and without a kustomize-controller identity',
      (stack, delivery) => new FluxKustomization(stack, 'secrets', { delivery, source: { kind: 'GitRepository', name: 'x' }, decryption: { provider: 'sops' } }),
      {},
      /\[test\/secrets\] \[FLUX-SOPS-IDENTITY\] Kustomization flux-system\/secrets decrypts with no secretRef/,
    ],
    [
      'an OCIRepository with provider azure without a source-controller identity',
      (stack, delivery) => new FluxOciRepository(stack, 'oci', { delivery, url: 'oci://contoso.azurecr.io/m', provider: 'azure' }),
      {},
      /\[test\/oci\] \[FLUX-SOURCE-IDENTITY\] OCIRepository flux-system\/oci has provider azure/,
    ],
    [
      'a Bucket with provider azure without a source-controller identity',
      (stack, delivery) => new FluxBucket(stack, 'blob', { delivery, bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net' }),
      {},
      /\[test\/blob\] \[FLUX-SOURCE-IDENTITY\] Bucket flux-system\/blob has provider azure/,
    ],
    [
      'an azuredevops Provider added as a plain object, without commitStatusExpr',
      (_stack, delivery) =>
        delivery.add({
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
          kind: 'Provider',
          metadata: { name: 'status', namespace: 'flux-system' },
          spec: { type: 'azuredevops', address: 'https://dev.azure.com/contoso/fabrikam/_git/infra', secretRef: { name: 't' } },
        }),
      {},
      /\[test\/objects\] \[FLUX-COMMIT-STATUS-NAME\] Provider flux-system\/status has no commitStatusExpr/,
    ],
  ])('reports %s as an error with the construct path', (_, build, install, message) => {
    const { error } = findings(build, install);
    expect(error).toMatch(message);
    // One finding, not a cascade.
    expect(error.match(/\[FLUX-[A-Z-]+\]/g)).toHaveLength(1);
  });

  it('finds a dependency in another namespace and another release of the stack', () => {
    expect(
      findings((stack, delivery) => {
        const other = new FluxObjectsRelease(stack, 'platform-objects', { namespace: 'platform' });
        new FluxKustomization(stack, 'base', { delivery: other, source: { kind: 'GitRepository', name: 'x', namespace: 'flux-system' } });
        new FluxKustomization(stack, 'apps', { delivery, source: { kind: 'GitRepository', name: 'x' }, dependsOn: [{ name: 'base', namespace: 'platform' }] });
      }).error,
    ).toBe('');
  });

  it('passes the identities when the install has them', () => {
    const { error } = findings(
      (stack, delivery) => {
        new FluxKustomization(stack, 'secrets', { delivery, source: { kind: 'GitRepository', name: 'x' }, decryption: { provider: 'sops' } });
        new FluxOciRepository(stack, 'oci', { delivery, url: 'oci://contoso.azurecr.io/m', provider: 'azure' });
      },
      { kustomizeControllerWorkloadIdentity: { clientId: CLIENT_ID }, sourceControllerWorkloadIdentity: { clientId: CLIENT_ID } },
    );
    expect(error).toBe('');
  });

  it('reports an acknowledged finding as info with its reason, and passes the synth', () => {
    const { error, infos } = findings((stack, delivery) => {
      const sync = new FluxGitSync(stack, 'infra', { delivery, url: ado, secretName: 's', dependsOn: ['flux-system'] });
      FluxStackChecks.acknowledge(sync, 'FLUX-DEPENDS-ON', 'flux-system is the Kustomization of flux bootstrap, outside this stack');
    });
    expect(error).toBe('');
    expect(infos).toEqual([
      expect.stringMatching(
        /^\[test\/infra\] \[FLUX-DEPENDS-ON\] Kustomization flux-system\/infra depends on flux-system\/flux-system, .*; acknowledged: flux-system is the Kustomization of flux bootstrap, outside this stack$/,
      ),
    ]);
  });

  it('acknowledges only the rule named, on the construct named and below it', () => {
    const { error } = findings((stack, delivery) => {
      const a = new FluxGitSync(stack, 'a', { delivery, url: ado });
      new FluxGitSync(stack, 'b', { delivery, url: ado });
      FluxStackChecks.acknowledge(a, 'FLUX-GIT-SSH-SECRET', 'the Secret is made by another team');
    });
    expect(error).not.toMatch(/\[test\/a\]/);
    expect(error).toMatch(/\[test\/b\] \[FLUX-GIT-SSH-SECRET\]/);
  });

  it('refuses an acknowledgement of an unknown rule or without a reason', () => {
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 'test');
    expect(() => FluxStackChecks.acknowledge(stack, 'FLUX-GIT-SSH-SECRETS' as never, 'typo')).toThrow(/rule "FLUX-GIT-SSH-SECRETS" is not valid; use one of FLUX-GIT-SSH-SECRET, /);
    expect(() => FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', ' ')).toThrow(/reason " " is not valid; say why the finding is accepted/);
  });
});

describe('FluxStackChecks, the edges of each rule', () => {
  /** Like `findings`, with any number of Flux installs (none: a stack whose install is elsewhere). */
  function check(build: (stack: TerraformStack, delivery: FluxObjectsRelease) => void, installs: FluxInstallProps[]): string[] {
    const app = new App({ outdir: tempDir('cdktf.out.'), stackTraces: false });
    const stack = new TerraformStack(app, 'test');
    new HelmProvider(stack, 'helm', {});
    installs.forEach((props, i) => new FluxInstall(stack, `flux${i}`, { releaseName: `flux${i}`, ...props }));
    build(stack, new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' }));
    try {
      app.synth();
    } catch (e) {
      return (e as Error).message.match(/\[FLUX-[A-Z-]+\] [^\n]*/g) ?? [(e as Error).message];
    }
    return [];
  }
  const gitRepository = (name: string, url: string, spec: object = {}) =>
    ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace: 'flux-system' }, spec: { url, interval: '5m', ...spec } }) as never;
  const HTTPS = (url: string, name = 'infra') =>
    `[FLUX-GIT-HTTPS-CREDENTIALS] GitRepository flux-system/${name} fetches ${url} with no secretRef and no provider azure (a GitRepository on Azure Repos over https:// needs secretRef or provider azure: Azure DevOps serves private projects only with credentials (acknowledge it for a public project))`;
  const ALGOS =
    '[FLUX-AZURE-DEVOPS-HOSTKEY-ALGOS] GitRepository flux-system/infra is on ssh.dev.azure.com and no Flux install of the stack passes --ssh-hostkey-algos (a GitRepository on ssh.dev.azure.com needs --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256 on source-controller: Azure DevOps offers only RSA host keys with SHA-2 signatures)';
  const sshAdo = 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/infra';

  it('checks https:// URLs of *.visualstudio.com for credentials as those of dev.azure.com, and no other host', () => {
    const urls = ['https://contoso.visualstudio.com/fabrikam/_git/infra', 'https://dev.azure.com/contoso/fabrikam/_git/infra', 'https://github.com/contoso/infra', 'https://visualstudio.com.example.org/x'];
    expect(check((_, delivery) => urls.forEach((url, i) => delivery.add(gitRepository(`r${i}`, url))), [{ sourceControllerArgs: [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] }])).toEqual([
      HTTPS(urls[0], 'r0'),
      HTTPS(urls[1], 'r1'),
    ]);
    expect(
      check((_, delivery) => {
        delivery.add(gitRepository('a', urls[0], { provider: 'azure' }));
        delivery.add(gitRepository('b', urls[1], { secretRef: { name: 's' } }));
      }, [{}]),
    ).toEqual([]);
  });

  it.each<[string, string[][], string[]]>([
    ['an algorithm list without an RSA SHA-2 one', [['--ssh-hostkey-algos=ssh-ed25519']], [ALGOS]],
    ['another flag that names the algorithms', [['--kex-algos=rsa-sha2-512']], [ALGOS]],
    ['rsa-sha2-256 alone', [['--ssh-hostkey-algos=rsa-sha2-256']], []],
    ['a flag that merely ends with the name', [['--no-ssh-hostkey-algos=rsa-sha2-512']], [ALGOS]],
    ['another flag whose value names them', [['--kex-algos=--ssh-hostkey-algos=rsa-sha2-512']], [ALGOS]],
    ['rsa-sha2-512 after another', [['--ssh-hostkey-algos=ssh-ed25519,rsa-sha2-512']], []],
    ['one of two installs passing them', [[], ['--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256']], []],
    ['no Flux install in the stack (it is installed elsewhere)', [], []],
  ])('--ssh-hostkey-algos: %s', (_, args, expected) => {
    expect(check((_, delivery) => delivery.add(gitRepository('infra', sshAdo, { secretRef: { name: 's' } })), args.map((a) => ({ sourceControllerArgs: a })))).toEqual(expected);
  });

  it('judges each rule on its own kind only', () => {
    const api: Record<string, string> = { HelmRepository: 'source.toolkit.fluxcd.io/v1', HelmRelease: 'helm.toolkit.fluxcd.io/v2' };
    const object = (kind: string, name: string, spec: object) => ({ apiVersion: api[kind], kind, metadata: { name, namespace: 'flux-system' }, spec }) as never;
    expect(
      check(
        (_, delivery) => {
          // What each rule looks for, under another kind.
          delivery.add(object('HelmRepository', 'ssh', { url: 'oci://ssh.dev.azure.com/v3/contoso', interval: '5m', type: 'oci' }));
          delivery.add(object('HelmRepository', 'https', { url: 'https://dev.azure.com/contoso/fabrikam/_git/infra', interval: '5m' }));
          delivery.add(object('HelmRepository', 'azure', { url: 'oci://contoso.azurecr.io/charts', interval: '5m', type: 'oci', provider: 'azure' }));
          delivery.add(object('HelmRelease', 'release', { interval: '5m', chartRef: { kind: 'OCIRepository', name: 'x' }, dependsOn: [{ name: 'nowhere' }] }));
        },
        [{ sourceControllerArgs: [] }],
      ),
    ).toEqual([]);
  });

  it('applies the https rule to https:// only, and the host key rule to ssh:// only', () => {
    expect(
      check(
        (_, delivery) => {
          delivery.add(gitRepository('ssh-on-https-host', 'ssh://git@dev.azure.com/contoso/fabrikam/infra', { secretRef: { name: 's' } }));
          delivery.add(gitRepository('https-on-ssh-host', 'https://ssh.dev.azure.com/contoso/fabrikam/infra', { secretRef: { name: 's' } }));
        },
        [{ sourceControllerArgs: [] }],
      ),
    ).toEqual([]);
  });

  it('reports an object whose controller no Flux install of the stack runs', () => {
    const build = (_: TerraformStack, delivery: FluxObjectsRelease) =>
      delivery.add({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'app', namespace: 'flux-system' }, spec: {} } as never);
    expect(check(build, [{ components: { helm: false } }])).toEqual([
      '[FLUX-CONTROLLER-OFF] HelmRelease flux-system/app is delivered but no Flux install of the stack runs components.helm (a Flux object is reconciled only by its controller: the Flux install must run it (components))',
    ]);
    expect(check(build, [{ components: { helm: false } }, {}])).toEqual([]);
    expect(check(build, [{ components: { kustomize: false } }])).toEqual([]);
    expect(check(build, [])).toEqual([]);
  });

  it('leaves an ssh:// repository off Azure DevOps without the algorithms, and reports its missing Secret', () => {
    expect(check((_, delivery) => delivery.add(gitRepository('infra', 'ssh://git@github.com/contoso/infra')), [{}])).toEqual([
      '[FLUX-GIT-SSH-SECRET] GitRepository flux-system/infra fetches ssh://git@github.com/contoso/infra with no secretRef (a GitRepository over ssh:// needs secretRef: source-controller has no other way to get a key and known_hosts)',
    ]);
  });

  it('asks for the identities only of a stack that installs Flux, and is content with one install having them', () => {
    const build = (stack: TerraformStack, delivery: FluxObjectsRelease) => {
      new FluxKustomization(stack, 'secrets', { delivery, source: { kind: 'GitRepository', name: 'x' }, decryption: { provider: 'sops' } });
      new FluxOciRepository(stack, 'oci', { delivery, url: 'oci://contoso.azurecr.io/m', provider: 'azure' });
    };
    expect(check(build, [])).toEqual([]);
    expect(check(build, [{}, { kustomizeControllerWorkloadIdentity: { clientId: CLIENT_ID }, sourceControllerWorkloadIdentity: { clientId: CLIENT_ID } }])).toEqual([]);
    expect(check(build, [{}]).map((f) => f.split(' ')[0])).toEqual(['[FLUX-SOPS-IDENTITY]', '[FLUX-SOURCE-IDENTITY]']);
  });

  it('does not ask for an identity for a Kustomization with a decryption Secret, nor an OCIRepository without provider azure', () => {
    expect(
      check((stack, delivery) => {
        new FluxKustomization(stack, 'secrets', { delivery, source: { kind: 'GitRepository', name: 'x' }, decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } });
        new FluxOciRepository(stack, 'oci', { delivery, url: 'oci://ghcr.io/contoso/m' });
      }, [{}]),
    ).toEqual([]);
  });

  it('takes the acknowledgement nearest the finding: an inner one wins over an outer one', () => {
    const { error, infos } = findings((stack, delivery) => {
      const sync = new FluxGitSync(stack, 'infra', { delivery, url: ado, secretName: 's', dependsOn: ['flux-system'] });
      FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', 'outer');
      FluxStackChecks.acknowledge(sync, 'FLUX-DEPENDS-ON', 'inner');
    });
    expect(error).toBe('');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatch(/; acknowledged: inner$/);
  });

  it('takes an acknowledgement on the stack for the findings below it', () => {
    const { error, infos } = findings((stack, delivery) => {
      new FluxGitSync(stack, 'infra', { delivery, url: ado, secretName: 's', dependsOn: ['flux-system'] });
      FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', 'outer');
    });
    expect(error).toBe('');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatch(/^\[test\/infra\] \[FLUX-DEPENDS-ON\] .*; acknowledged: outer$/);
  });

  it('counts only Kustomizations as what a dependsOn may name, not a source of the same name', () => {
    expect(
      check((stack, delivery) => {
        delivery.add(gitRepository('base', 'https://github.com/contoso/base'));
        new FluxKustomization(stack, 'apps', { delivery, source: { kind: 'GitRepository', name: 'base' }, dependsOn: ['base'] });
      }, [{}]),
    ).toEqual([
      '[FLUX-DEPENDS-ON] Kustomization flux-system/apps depends on flux-system/base, which no construct of the stack delivers (a Kustomization dependsOn must name a Kustomization of the stack: Flux waits for a missing one forever)',
    ]);
  });

  /** A construct that says what IFluxInstallFacts says, without being a FluxInstall (a library user's own install). */
  class OwnInstall extends Construct {
    constructor(scope: Construct, id: string, facts: object) {
      super(scope, id);
      Object.assign(this, facts);
    }
  }
  const facts = { releaseName: 'own', namespace: 'flux-system', sourceControllerArgs: [], hasSourceControllerIdentity: false, hasKustomizeControllerIdentity: false };
  const onAdo = (delivery: FluxObjectsRelease) => delivery.add(gitRepository('infra', sshAdo, { secretRef: { name: 's' } }));

  it.each<[string, object, string[]]>([
    ['all its facts, components absent (all controllers, as far as the checks know)', facts, [ALGOS]],
    ['no releaseName', { ...facts, releaseName: undefined }, []],
    ['no sourceControllerArgs list', { ...facts, sourceControllerArgs: undefined }, []],
    ['no hasKustomizeControllerIdentity', { ...facts, hasKustomizeControllerIdentity: undefined }, []],
  ])('counts a construct as a Flux install by its facts: %s', (_, own, expected) => {
    expect(
      check((stack, delivery) => {
        new OwnInstall(stack, 'own', own);
        onAdo(delivery);
      }, []),
    ).toEqual(expected);
  });

  it('does not take two flags packed into one argument as --ssh-hostkey-algos (the controller reads one flag with a long value)', () => {
    expect(check((_, delivery) => onAdo(delivery), [{ sourceControllerArgs: ['--log-level=info --ssh-hostkey-algos=rsa-sha2-512'] }])).toEqual([ALGOS]);
  });

  it('passes over a GitRepository URL that the CRD pattern allows and WHATWG URL cannot parse, rather than crash', () => {
    // An scp-style path after ssh:// reads as port "v3".
    expect(check((_, delivery) => delivery.add(gitRepository('infra', 'ssh://git@ssh.dev.azure.com:v3/contoso/fabrikam/infra')), [{ sourceControllerArgs: [] }])).toEqual([]);
  });

  /** Objects a library user's own construct carries, as given: the checks must not assume what the CRD rules check. */
  class OwnCarrier extends Construct {
    constructor(
      scope: Construct,
      id: string,
      public readonly fluxObjects: readonly object[],
    ) {
      super(scope, id);
    }
  }
  const meta = { name: 'x', namespace: 'flux-system' };

  it('reads objects without a spec, or of another kind with the same fields, without a finding or a crash', () => {
    const objects = [
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: meta },
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta },
      { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: meta },
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: meta },
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'Bucket', metadata: meta },
      // The fields of each rule, on a kind the rule is not about.
      { apiVersion: 'notification.toolkit.fluxcd.io/v1', kind: 'Receiver', metadata: meta, spec: { type: 'azuredevops', url: sshAdo, dependsOn: [{ name: 'nowhere' }], provider: 'azure', decryption: { provider: 'sops' } } },
    ];
    expect(check((stack) => new OwnCarrier(stack, 'own', objects), [{ sourceControllerArgs: [] }])).toEqual([]);
  });

  it('refuses a reason that is not text', () => {
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 'test');
    expect(() => FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', undefined as never)).toThrow('FluxStackChecks.acknowledge test: reason undefined is not valid; say why the finding is accepted');
  });
});
