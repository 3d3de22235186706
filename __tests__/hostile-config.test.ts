/**
 * A config file is data written by someone who must not be able to run code on the deploy machine or
 * read its secrets: what a hostile author can write, and what the loader does with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { parseTfvars } from '../config/bedrock';
import { ConfigError, loadConfig, mergeDefaults, validateConfig } from '../config/load';
import { EXAMPLE_CONFIG } from '../config/example';
import { FluxGitOpsStack } from '../stacks/flux-gitops-stack';
import { FluxInstall } from '../constructs/flux-install';
import { problems } from './support/config-problems';
import { bareStack, tempDir } from './support/synth';

const repo = { name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/infra' };
const withCluster = (extra: object, repositories: unknown[] = [repo]) => ({ clusters: [{ name: 'dev', repositories, ...extra }] });

function write(name: string, text: string | Buffer): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('config strings are literal', () => {
  it.each([
    ['a boolean', withCluster({}, [{ name: 'infra', azureDevOps: { organization: 'o', project: 'p', repository: 'r', create: '${false}' } }]), 'clusters[0].repositories[0].azureDevOps.create: must be of type boolean, not string (got "${false}")'],
    ['an enum', withCluster({}, [{ ...repo, auth: '${ssh}' }]), 'clusters[0].repositories[0].auth: must be one of "ssh", "https", "workload-identity" (got "${ssh}")'],
    ['the backend type', withCluster({ backend: { type: '${azurerm}' } }), 'clusters[0].backend.type: must be one of "local", "azurerm", "cloud" (got "${azurerm}")'],
    ['a pattern', withCluster({ flux: { chartRepository: '${file("/proc/self/environ")}' } }), 'clusters[0].flux.chartRepository: must match ^(https|oci)://\\S+$ (an https:// or oci:// URL) (got "${file(\\"/proc/self/environ\\")}")'],
    ['a label', withCluster({}, [{ ...repo, name: '${var.x}' }]), 'clusters[0].repositories[0].name: must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case letters, digits and "-", starting and ending with a letter or digit) (got "${var.x}")'],
  ])('checks a value with ${ in %s like any other value', (_what, config, expected) => {
    expect(problems(() => validateConfig(config, 'x'))).toEqual([expected]);
  });

  it('refuses the markers cdktf resolves as references, in values and keys', () => {
    const found = problems(() =>
      validateConfig(withCluster({ kubeconfig: { context: 'a${TfToken[TOKEN.1]}' }, connector: { nodeSelector: { '#{TfToken[TOKEN.2]}': 'x' } } }), 'x'),
    );
    expect(found).toEqual([
      'clusters[0].kubeconfig.context: holds a cdktf token marker (TfToken[...]); config strings are literal text (got "a${TfToken[TOKEN.1]}")',
      'clusters[0].connector.nodeSelector."#{TfToken[TOKEN.2]}": is a key holding a cdktf token marker (TfToken[...]); config keys are literal text',
      // The same key is no label key either (config/refused.ts, as the API server checks a nodeSelector).
      'clusters[0].connector.nodeSelector: has a key that is not valid; use a label key such as kubernetes.azure.com/mode (got "#{TfToken[TOKEN.2]}")',
    ]);
  });

  it('refuses numbers that cdktf would read as encoded tokens', () => {
    expect(problems(() => validateConfig(withCluster({ connector: { tolerations: [{ key: 'a', tolerationSeconds: -1.8881545897087626e289 }] } }), 'x'))).toEqual([
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not a number in the safe range (got -1.8881545897087626e+289)',
      // What the API server would say of the toleration besides (config/refused.ts).
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not valid; use a whole number of seconds (got -1.8881545897087626e+289)',
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not valid; give it only with effect NoExecute (Kubernetes refuses it otherwise) (got -1.8881545897087626e+289)',
    ]);
  });
});

describe('prototype keys', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a key, in JSON and YAML, with a clear error', (key) => {
    const json = write('c.json', `{"clusters":[{"name":"dev","${key}":{"x":1},"repositories":[{"name":"infra","url":"git@ssh.dev.azure.com:v3/o/p/infra"}]}]}`);
    const yaml = write('c.yaml', `clusters:\n  - name: dev\n    ${key}: { x: 1 }\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n`);
    for (const file of [json, yaml]) {
      expect(problems(() => loadConfig(file))).toEqual([
        `clusters[0].${key}: is not allowed as a key: "${key}" names JavaScript's object machinery, never a config field`,
      ]);
    }
  });

  it('counts only own properties as known fields (toString, hasOwnProperty are unknown)', () => {
    const found = problems(() => validateConfig(withCluster({ toString: 'x', kubeconfig: { hasOwnProperty: 1 } }), 'x'));
    expect(found.map((p) => p.replace(/ \(known: .*/, ''))).toEqual([
      'clusters[0].toString: is not a known field',
      'clusters[0].kubeconfig.hasOwnProperty: is not a known field',
    ]);
  });

  it('merges defaults into objects without a prototype, reading own keys only', () => {
    const merged = mergeDefaults({ flux: { namespace: 'a' } }, JSON.parse('{"flux":{"chartVersion":"2.18.3"}}')) as any;
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(Object.getPrototypeOf(merged.flux)).toBeNull();
    expect({ ...merged.flux }).toEqual({ namespace: 'a', chartVersion: '2.18.3' });
    // A default named like an Object.prototype member is not inherited by a cluster that lacks it.
    expect((mergeDefaults({}, { toString: 1 }) as any).toString).toBe(1);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('reads a Bedrock variable named __proto__ or constructor as a variable, not as the prototype', () => {
    const { values } = parseTfvars('__proto__ = "x"\nconstructor = "y"\n');
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.entries(values)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('refuses a __proto__ key in defaults, so no subtree skips validation through the prototype', () => {
    const file = write('c.json', '{"defaults":{"__proto__":{"backend":{"type":"nonsense"}}},"clusters":[{"name":"dev","repositories":[{"name":"infra","url":"git@ssh.dev.azure.com:v3/o/p/infra"}]}]}');
    expect(problems(() => loadConfig(file))).toEqual([
      'defaults.__proto__: is not allowed as a key: "__proto__" names JavaScript\'s object machinery, never a config field',
    ]);
  });
});

describe('the file itself', () => {
  it('refuses a key given twice, in JSON as in YAML', () => {
    const json = write('c.json', '{"clusters":[{"name":"dev","name":"prod","repositories":[{"name":"infra","url":"git@ssh.dev.azure.com:v3/o/p/infra"}]}]}');
    expect(problems(() => loadConfig(json))).toEqual(['(root): repeats a key (line 1, column 28); each key may appear once per object']);
    // The same key however it is spelled (\u0061 is "a"), at any depth; a key holding a quote is still one key.
    expect(problems(() => loadConfig(write('c.json', '{"a":{"b\\"c":1,"d":[{"x":1}],"b\\"e":2},"\\u0061":1}')))).toEqual(['(root): repeats a key (line 1, column 40); each key may appear once per object']);
    expect(problems(() => loadConfig(write('c.json', '{"clusters":[{"x":1},{"x":2}],"k":{"x":[1,{"x":{}}]}}')))[0]).not.toMatch(/repeats a key/);
    const yaml = write('c.yaml', 'clusters:\n  - name: dev\n    name: prod\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n');
    expect(problems(() => loadConfig(yaml))).toEqual(['(root): repeats a key (line 3, column 5); each key may appear once per object']);
  });

  it('refuses a file larger than 1 MiB, and /dev/zero at once, without reading it all', () => {
    const big = write('c.yaml', `clusters: []\n#${'x'.repeat(1024 * 1024)}\n`);
    expect(problems(() => loadConfig(big))).toEqual(['(root): is larger than 1048576 bytes']);
    if (fs.existsSync('/dev/zero')) {
      const started = Date.now();
      expect(problems(() => loadConfig('/dev/zero'))).toEqual(['(root): is not a regular file (a folder, a FIFO or a device)']);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('answers deep nesting with a ConfigError, not a stack overflow', () => {
    // Built here, not as it.each rows: jest would carry megabytes of text in test titles.
    const cases: [string, string][] = [
      // 20 000 levels: past any recursion's stack, small enough for a jest worker's heap.
      ['c.json', '['.repeat(20_000)],
      ['c.json', '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)],
      ['c.yaml', '['.repeat(20_000) + ']'.repeat(20_000)],
      ['c.yaml', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')],
    ];
    for (const [name, text] of cases) expect(() => loadConfig(write(name, text))).toThrow(ConfigError);
    expect(problems(() => loadConfig(write('c.json', `{"clusters":${'['.repeat(40)}${']'.repeat(40)}}`)))).toEqual([expect.stringMatching(/is nested deeper than 32 levels$/)]);
  });

  it('reads a file that starts with a byte order mark, and names a number out of range', () => {
    const file = write('c.json', '\uFEFF{"clusters":[{"name":"dev","repositories":[{"name":"infra","url":"git@ssh.dev.azure.com:v3/o/p/infra"}],"connector":{"tolerations":[{"key":"a","tolerationSeconds":1e400}]}}]}');
    expect(problems(() => loadConfig(file))).toEqual([
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not a number in the safe range (got "Infinity")',
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not valid; use a whole number of seconds (got "Infinity")',
      'clusters[0].connector.tolerations[0].tolerationSeconds: is not valid; give it only with effect NoExecute (Kubernetes refuses it otherwise) (got "Infinity")',
    ]);
  });

  it('never repeats the text of a file it cannot parse', () => {
    const secret = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.canary-parse-secret-4242';
    for (const [name, text] of [
      ['c.json', `{"token": "${secret}" oops}`],
      ['c.yaml', `token: ${secret}\n  bad: [indent`],
    ]) {
      const file = write(name, text);
      const message = (() => {
        try {
          loadConfig(file);
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })();
      expect(message).toMatch(/is not valid (JSON|YAML)/);
      expect(message).not.toContain('canary');
      expect(message).not.toContain('eyJhbGci');
    }
  });

  it('shows no secret of a kubeconfig named as the config by mistake', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.canarySignature1234567890';
    const kubeconfig = write(
      'config.yaml',
      `apiVersion: v1\nkind: Config\nclusters:\n  - name: aks\n    cluster: { server: "https://aks.example.com", certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM1ekNDQWMr }\n` +
        `users:\n  - name: admin\n    user: { token: "${token}", password: hunter2-canary }\ncontexts: []\ncurrent-context: aks\n`,
    );
    const message = (() => {
      try {
        loadConfig(kubeconfig);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('apiVersion: is not a known field');
    expect(problems(() => validateConfig(withCluster({ ghp_0123456789abcdefghijABCDEFGHIJ: 1 }), 'x'))).toEqual([expect.stringMatching(/^clusters\[0\]\.ghp_\*\*\*: is not a known field/)]);
    for (const secret of ['canarySignature', 'eyJzdWIi', 'hunter2', 'LS0tLS1CRUdJTiBDRVJU']) expect(message).not.toContain(secret);
  });
});

describe('secrets in the wrong place', () => {
  const provider = (address: string) => withCluster({ notifications: { providers: [{ name: 'chat', type: 'generic', address }] } });
  it.each([
    ['a Slack webhook', 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXcanary'],
    ['a Teams webhook', 'https://contoso.webhook.office.com/webhookb2/1234@abcd/IncomingWebhook/canary/5678'],
    ['a Teams workflow URL', 'https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=canary'],
    ['a Discord webhook', 'https://discord.com/api/webhooks/123/canarytoken'],
    ['a Google Chat webhook', 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=canarykey&token=canarytoken'],
    ['a URL with ?token=', 'https://hooks.example.com/flux?token=canary'],
    ['a URL with ?access_token=', 'https://alerts.example.com/in?access_token=canary'],
    ['a Rocket.Chat-style /hooks/<id>/<token> URL', 'https://chat.example.com/hooks/0123456789abcdefcanary/xyz'],
  ])('refuses %s as a plain address, showing it masked', (_what, address) => {
    const found = problems(() => validateConfig(provider(address), 'x'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^clusters\[0\]\.notifications\.providers\[0\]\.address: (is a .*holds its token|looks like a webhook URL|carries a credential)/);
    expect(found[0]).not.toContain('canary');
  });

  it('refuses credentials in ssh://user:pass@ and oci:// URLs, wherever they are', () => {
    const found = problems(() =>
      validateConfig(withCluster({ flux: { chartRepository: 'oci://robot:canary@registry.example.com/charts' } }, [{ name: 'infra', url: 'ssh://git:canary@git.example.com/infra.git' }]), 'x'),
    );
    expect(found).toEqual([
      'clusters[0].repositories[0].url: carries a password; give secrets through the sensitive variables, never in a URL (got "ssh://***@git.example.com/infra.git")',
      'clusters[0].flux.chartRepository: carries a password; give secrets through the sensitive variables, never in a URL (got "oci://***@registry.example.com/charts")',
      // One pass reports the rules that span fields too (issue 22).
      'clusters[0].repositories[0].url: is on git.example.com, which no knownHosts entry pins; add its known_hosts line to knownHosts.entries (host keys are never scanned) (got "ssh://***@git.example.com/infra.git")',
    ]);
  });

  it('still takes ordinary webhook addresses and in-cluster subscribers', () => {
    expect(() => validateConfig(provider('https://alerts.example.com/flux?team=ops'), 'x')).not.toThrow();
    expect(() => validateConfig(withCluster({ connector: { subscribers: { spektate: 'http://spektate.spektate.svc.cluster.local:5000/api/flux' } } }), 'x')).not.toThrow();
  });
});

describe('the remaining holes', () => {
  it('takes the flux2 chart only over https:// or oci://', () => {
    expect(problems(() => validateConfig(withCluster({ flux: { chartRepository: 'http://charts.example.com' } }), 'x'))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.flux\.chartRepository: must match .* \(an https:\/\/ or oci:\/\/ URL\)/),
    ]);
    for (const ok of ['https://charts.example.com/flux', 'oci://ghcr.io/fluxcd-community/charts']) {
      expect(() => validateConfig(withCluster({ flux: { chartRepository: ok } }), 'x')).not.toThrow();
    }
  });

  it('sends the connector PAT to a GitHub orgUrl only over https://', () => {
    const github = (orgUrl: string) => withCluster({ connector: { ciCdOrchestrator: 'GITHUB', github: { orgUrl, repository: 'wf' } } });
    expect(problems(() => validateConfig(github('http://api.github.example.com/repos/o'), 'x'))).toEqual([expect.stringMatching(/^clusters\[0\]\.connector\.github\.orgUrl: must match .*\(an https:\/\/ URL\)/)]);
    expect(() => validateConfig(github('https://api.github.com/repos/o'), 'x')).not.toThrow();
  });

  it('parses semver refs as semver ranges', () => {
    const ref = (semver: string) => withCluster({}, [{ ...repo, ref: { semver } }]);
    expect(problems(() => validateConfig(ref('not-a-range'), 'x'))).toEqual([
      'clusters[0].repositories[0].ref.semver: must be a semver range that parses (e.g. ">=1.0.0 <2.0.0", "1.2.x", "~1.2", "^1.0.0") (got "not-a-range")',
    ]);
    for (const bad of ['>>1', '1.2.3.4.5', '=', '|| ||']) expect(() => validateConfig(ref(bad), 'x')).toThrow(ConfigError);
    for (const ok of ['>=1.0.0 <2.0.0', '1.2.x', '~1.2', '^1.0.0', '>= 1.0, < 2.0', '1.0.0 - 2.0.0', '*']) expect(() => validateConfig(ref(ok), 'x')).not.toThrow();
  });

  it("resolves a relative kubeconfig.path against the config file's folder, and leaves ~ and absolute paths", () => {
    const dir = tempDir();
    const file = path.join(dir, 'envs', 'prod.yaml');
    fs.mkdirSync(path.dirname(file));
    const cluster = (name: string, p: string) => `  - name: ${name}\n    kubeconfig: { path: "${p}" }\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n`;
    fs.writeFileSync(file, `clusters:\n${cluster('a', './output/bedrock_kube_config')}${cluster('b', '~/.kube/config')}${cluster('c', '/etc/kube/config')}`);
    expect(loadConfig(file).config.clusters.map((c) => c.kubeconfig?.path)).toEqual([path.join(dir, 'envs', 'output', 'bedrock_kube_config'), '~/.kube/config', '/etc/kube/config']);
  });

  it('never takes a process environment or a device as the kubeconfig', () => {
    const dir = tempDir();
    for (const p of ['/proc/self/environ', '/dev/stdin', '//sys/kernel/x', `${'../'.repeat(20)}proc/1/environ`]) {
      const file = path.join(dir, 'c.yaml');
      fs.writeFileSync(file, `clusters:\n  - name: a\n    kubeconfig: { path: "${p}" }\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n`);
      expect(problems(() => loadConfig(file))).toEqual([`clusters[0].kubeconfig.path: must be a kubeconfig file, not under /proc, /sys or /dev (got "${p}")`]);
    }
    // Also for a config validated without a file (the library's validateConfig), and from defaults.
    expect(problems(() => validateConfig({ defaults: { kubeconfig: { path: '/etc/../proc/self/environ' } }, clusters: [{ name: 'a', repositories: [repo] }] }, 'x'))).toEqual([
      'defaults.kubeconfig.path: must be a kubeconfig file, not under /proc, /sys or /dev (got "/etc/../proc/self/environ")',
    ]);
    const home = path.join(dir, 'h.yaml');
    fs.writeFileSync(home, 'clusters:\n  - name: a\n    kubeconfig: { path: "~/../../proc/self/environ" }\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n');
    expect(problems(() => loadConfig(home))).toEqual(['clusters[0].kubeconfig.path: must not climb out of the home folder with ".." (write the absolute path) (got "~/../../proc/self/environ")']);
  });

  it('refuses names that make two Kubernetes objects one', () => {
    const azure = (name: string) => ({ name, url: `git@ssh.dev.azure.com:v3/o/p/${name}` });
    expect(
      problems(() =>
        validateConfig(
          withCluster({ receiver: { publicUrl: 'https://hooks.example.com' }, notifications: { providers: [{ name: 'a-push-token', type: 'slack', addressFromVariable: true }] } }, [azure('flux-notification-a')]),
          'x',
        ),
      ),
    ).toEqual([
      'clusters[0].repositories[0].name: makes the Secret flux-system/flux-notification-a-push-token, which provider a-push-token makes too; rename one (got "flux-notification-a")',
    ]);
    expect(problems(() => validateConfig(withCluster({ notifications: { providers: [{ name: 'exfil', type: 'grafana', address: 'https://evil.example.com', secretName: 'flux-azure-devops-token' }] } }), 'x'))).toEqual([
      'clusters[0].notifications.providers[0].secretName: names the Secret the stack makes for the commit-status PAT; the provider would send those credentials to its own address (got "flux-azure-devops-token")',
    ]);
    expect(problems(() => validateConfig(withCluster({ flux: { namespace: 'gitops-connector-infra' } }), 'x'))).toEqual([
      'clusters[0].repositories[0].name: makes the connector namespace gitops-connector-infra, which is the Flux namespace; rename the repository or change connector.namespacePrefix (got "infra")',
    ]);
  });
});

describe('a Secret made twice in code', () => {
  it('fails the synth, naming both constructs', () => {
    const stack = new FluxGitOpsStack(new App({ outdir: tempDir() }), 'dup', { cluster: EXAMPLE_CONFIG.clusters[0] });
    new SecretV1(stack, 'another', { metadata: { name: 'flux-git-auth', namespace: 'flux-system' }, data: {} });
    expect(() => Testing.synth(stack, true)).toThrow(/Secret flux-system\/flux-git-auth is made twice, by dup\/git-auth\/.* and dup\/another/);
  });
});

describe('hostile cases found after the merge of issues 10-15', () => {
  it('checks the text {cluster} makes in defaults as it checks the text of the file', () => {
    // A cluster named hooks turns this into a Slack webhook; the file as written holds none.
    const config = {
      defaults: { notifications: { providers: [{ name: 'chat', type: 'slack', address: 'https://{cluster}.slack.com/services/T000/B000/XXXXcanary' }] } },
      clusters: [{ name: 'hooks', repositories: [repo] }],
    };
    const found = problems(() => validateConfig(config, 'x'));
    expect(found).toEqual(['defaults.notifications.providers[0].address: is a Slack webhook, which holds its token; give it through a sensitive variable (addressFromVariable) or a Secret (secretName), never in the config (got "https://hooks.slack.com/***")']);
  });

  it('never shows the text of a file that is not a config at all (.env, .npmrc, a process environment)', () => {
    for (const [name, text] of [['e.yaml', 'DB_PASSWORD=hunter2canary\n'], ['n.yaml', '//registry.npmjs.org/:_authToken=npm_canary\n'], ['l.yaml', '- hunter2canary\n']]) {
      const found = problems(() => loadConfig(write(name, text)));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^\(root\): must be of type object, not (string|array)$/);
    }
  });

  it('takes the connector chart only over https:// or oci://, as the flux2 chart (Helm installs it with the deploy credentials)', () => {
    const azure = [{ name: 'infra', azureDevOps: { organization: 'o', project: 'p', repository: 'r' } }];
    expect(problems(() => validateConfig(withCluster({ connector: { chartRepository: 'http://charts.example.com' } }, azure), 'x'))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.connector\.chartRepository: must match .* \(an https:\/\/ or oci:\/\/ URL\)/),
    ]);
    for (const ok of ['https://charts.example.com/connector', 'oci://myacr.azurecr.io/helm']) {
      expect(() => validateConfig(withCluster({ connector: { chartRepository: ok } }, azure), 'x')).not.toThrow();
    }
  });

  it('refuses a user name that may be a token in a URL of any scheme and field, also percent-encoded', () => {
    const found = problems(() =>
      validateConfig(
        withCluster({
          flux: { chartRepository: 'oci://ghp_canary0123456789abcdefghijklmnopqrst@ghcr.io/charts', values: { mirror: 'https://canary@example.com/x' } },
          connector: { chartRepository: 'https://user%3Acanary@charts.example.com' },
          ociRepositories: [{ name: 'oci', url: 'oci://canary@acr.azurecr.io/manifests' }],
        }),
        'x',
      ),
    );
    expect(found).toEqual([
      'clusters[0].flux.chartRepository: carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables or a Secret) (got "oci://***@ghcr.io/charts")',
      'clusters[0].flux.values.mirror: carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables) (got "https://***@example.com/x")',
      'clusters[0].connector.chartRepository: carries a password; give secrets through the sensitive variables, never in a URL (got "https://***@charts.example.com")',
      'clusters[0].ociRepositories[0].url: carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables or a Secret) (got "oci://***@acr.azurecr.io/manifests")',
    ]);
    // The organisation Azure DevOps puts in its https URLs, and ssh's git user, are not secrets.
    expect(() => validateConfig(withCluster({}, [{ name: 'a', url: 'https://contoso@dev.azure.com/contoso/p/_git/a' }, { name: 'b', url: 'ssh://git@ssh.dev.azure.com/v3/o/p/b' }]), 'x')).not.toThrow();
  });

  it.each([
    ['a Slack webhook with the final dot of its host', 'https://hooks.slack.com./services/T000/B000/XXXXcanary'],
    ['a Discord webhook under a versioned API path', 'https://discord.com/api/v10/webhooks/123/canarytoken'],
    ['an S3 presigned URL', 'https://bucket.s3.amazonaws.com/x?X-Amz-Credential=AKIAcanary&X-Amz-Signature=canary'],
  ])('refuses %s as a plain address', (_what, address) => {
    const found = problems(() => validateConfig(withCluster({ notifications: { providers: [{ name: 'chat', type: 'generic', address }] } }), 'x'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^clusters\[0\]\.notifications\.providers\[0\]\.address: (is a .*holds its token|carries a credential)/);
    expect(found[0]).not.toContain('canary');
  });

  it('lets flux.values add controller arguments but not undo the multitenancy lockdown', () => {
    const flux = (kustomizeArgs: string[]) => ({
      flux: { multitenancy: { enabled: true }, values: { kustomizeController: { container: { additionalArgs: kustomizeArgs } } } },
    });
    // The chart renders additionalArgs after its own flags, and the controller keeps the last one.
    const found = problems(() => validateConfig(withCluster(flux(['--no-cross-namespace-refs=false'])), 'x'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^clusters\[0\]\.flux\.values\.kustomizeController\.container\.additionalArgs\[0\]: must not mention --no-cross-namespace-refs or --default-service-account anywhere in values with multitenancy on/);
    expect(() => validateConfig(withCluster(flux(['--concurrent=10'])), 'x')).not.toThrow();
    expect(() => new FluxInstall(bareStack(), 'flux', { multitenancy: { enabled: true }, values: { helmController: { container: { additionalArgs: ['--default-service-account=flux'] } } } })).toThrow(
      /values\.helmController\.container\.additionalArgs\[0\] "\(a multi-tenancy flag\)" is not valid/,
    );
  });

  it('refuses at load what a construct would refuse at synth (lengths of the CRDs, an empty list of repositories)', () => {
    const provider = (extra: object) => withCluster({ notifications: { providers: [{ name: 'hook', type: 'generic', address: 'https://alerts.example.com/flux', ...extra }] } });
    for (const [config, field] of [
      [provider({ address: `https://alerts.example.com/${'a'.repeat(3000)}` }), 'notifications.providers[0].address'],
      [provider({ channel: 'c'.repeat(3000) }), 'notifications.providers[0].channel'],
      [provider({ username: 'u'.repeat(3000) }), 'notifications.providers[0].username'],
      [provider({ repositories: [] }), 'notifications.providers[0].repositories'],
      [withCluster({ flux: { multitenancy: { enabled: true, defaultServiceAccount: 'a'.repeat(300) } } }), 'flux.multitenancy.defaultServiceAccount'],
    ] as const) {
      const found = problems(() => validateConfig(config, 'x'));
      expect(found).toHaveLength(1);
      expect(found[0].startsWith(`clusters[0].${field}: `)).toBe(true);
    }
  });

  it('follows symbolic links of a kubeconfig path before deciding it is not under /proc, and refuses ~user', () => {
    const dir = tempDir();
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'kubeconfig'));
    fs.symlinkSync('/proc/self', path.join(dir, 'self'));
    for (const p of ['./kubeconfig', path.join(dir, 'kubeconfig'), './self/environ']) {
      const file = write('k.yaml', `clusters:\n  - name: a\n    kubeconfig: { path: "${p}" }\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n`);
      fs.renameSync(file, path.join(dir, 'k.yaml'));
      expect(problems(() => loadConfig(path.join(dir, 'k.yaml')))).toEqual([`clusters[0].kubeconfig.path: must be a kubeconfig file, not under /proc, /sys or /dev (got "${p}")`]);
    }
    expect(problems(() => validateConfig(withCluster({ kubeconfig: { path: '~root/.kube/config' } }), 'x'))).toEqual([
      'clusters[0].kubeconfig.path: must start with ~/ (the home folder of the user who deploys), not ~user (got "~root/.kube/config")',
    ]);
    expect(() => validateConfig(withCluster({ kubeconfig: { path: '~/.kube/config' } }), 'x')).not.toThrow();
    expect(() => validateConfig(withCluster({ kubeconfig: { path: '~' } }), 'x')).not.toThrow();
  });

  it('refuses a value the config itself names a secret (substitute DB_PASSWORD, an extraEnv GITHUB_TOKEN), never showing it', () => {
    const found = problems(() =>
      validateConfig(
        {
          defaults: { flux: { values: { sourceController: { extraEnv: [{ name: 'GITHUB_TOKEN', value: 'ghp_canary' }] } } } },
          clusters: [{ name: 'dev', repositories: [{ ...repo, substitute: { DB_PASSWORD: 'hunter2canary', cluster_name: 'dev' }, postBuild: { substitute: { apiKey: 'canary' } } }] }],
        },
        'x',
      ),
    );
    expect(found.map((p) => p.replace(/: is named like a secret.*/, '')).sort()).toEqual([
      'clusters[0].repositories[0].postBuild.substitute.apiKey',
      'clusters[0].repositories[0].substitute.DB_PASSWORD',
      // The rule on the parent object names it, and never shows it (issue 21).
      'clusters[0].repositories[0].substitute: conflicts with postBuild.substitute; give one of them (substitute is its shorthand)',
      'defaults.flux.values.sourceController.extraEnv[0].value',
    ]);
    expect(found.join('\n')).not.toContain('canary');
    // Names of Secrets are not secrets.
    expect(() => validateConfig(withCluster({ notifications: { providers: [{ name: 'chat', type: 'slack', secretName: 'slack-token' }] } }), 'x')).not.toThrow();
  });

  it('reads the config only from a regular file, never a device, a FIFO or /proc, also through a symbolic link', () => {
    const dir = tempDir();
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'config.yaml'));
    expect(problems(() => loadConfig(path.join(dir, 'config.yaml')))).toEqual(['(root): is under /proc, /sys or /dev, never a config file']);
    if (fs.existsSync('/dev/null')) expect(problems(() => loadConfig('/dev/null'))).toEqual(['(root): is not a regular file (a folder, a FIFO or a device)']);
    expect(problems(() => loadConfig(dir))).toEqual(['(root): is not a regular file (a folder, a FIFO or a device)']);
  });

  it('refuses a known_hosts wildcard that would trust another key for ssh.dev.azure.com beside the pinned one', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    for (const hosts of ['*', '*.azure.com', 'git.example.com,ssh.dev.azure.c?m', '@cert-authority *.dev.azure.com']) {
      const line = hosts.startsWith('@') ? `${hosts} ${key}` : `${hosts} ${key}`;
      const found = problems(() => validateConfig(withCluster({ knownHosts: { entries: [line] } }), 'x'));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^clusters\[0\]\.knownHosts\.entries\[0\]: has the host pattern .*, which also matches ssh\.dev\.azure\.com; name the hosts/);
    }
    // Other hosts' wildcards, a negation, and a rotated Azure DevOps key written by name stay allowed.
    // Matched without a backtracking regex: a run of stars is no denial of service.
    for (const hosts of ['*.example.com', '!ssh.dev.azure.com,*.corp.example.com', 'ssh.dev.azure.com', `${'*'.repeat(5000)}x`]) {
      expect(() => validateConfig(withCluster({ knownHosts: { entries: [`${hosts} ${key}`] } }), 'x')).not.toThrow();
    }
  });

  it('reads a Bedrock terraform.tfvars without showing its lines, and answers an undecodable string with a ConfigError', () => {
    const file = write('terraform.tfvars', 'gitops_ssh_url = "git@ssh.dev.azure.com:v3/o/p/r"\nservice_principal_secret = <<EOF\nhunter2canary\nEOF\nkubeconfig_filename = "C:\\Users\\x"\nnote = "a\u0000b"\n');
    const found = problems(() => loadConfig(file));
    expect(found).toEqual([
      // The variable is named (issue 21), its value never shown.
      'service_principal_secret (line 2): is not a plain assignment (name = "text" | true | false | number)',
      'line 3: is not a plain assignment (name = "text" | true | false | number)',
      'line 4: is not a plain assignment (name = "text" | true | false | number)',
      'kubeconfig_filename (line 5): has a string this reader cannot decode (write backslashes as \\\\, no control characters)',
      'note (line 6): has a string this reader cannot decode (write backslashes as \\\\, no control characters)',
    ]);
  });

  it('masks the value of an error in bounded work, whatever its length (a megabyte of ? in a URL)', () => {
    const file = write('q.json', JSON.stringify(withCluster({ receiver: { publicUrl: `https://a.example.com/${'?'.repeat(1000 * 1000)}` } })));
    const found = problems(() => loadConfig(file));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^clusters\[0\]\.receiver\.publicUrl: must match .*\(got "https:\/\/a\.example\.com\/\?{50,}\.\.\."\)$/);
  });

  it('refuses defaults that merging would multiply past what the loader holds, before merging', () => {
    // 600 kB of file: 8,000 chart values in defaults and 12,000 clusters of one name each (7 GB merged).
    const values = Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`k${i}`, 'x'.repeat(40)]));
    const clusters = Array.from({ length: 12000 }, (_, i) => ({ name: `c${i}` }));
    const file = write('amp.json', JSON.stringify({ defaults: { flux: { values }, repositories: [repo] }, clusters }));
    const found = problems(() => loadConfig(file));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^defaults: is copied into each of the 12000 clusters, \d+ bytes in all, more than the 33554432 the loader merges/);
  });
});
