import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configJsonSchemaText } from '../config/json-schema';
import { ConfigError, loadConfig } from '../config/load';
import { runMain } from './support/run-main';
import { exampleCluster, filesUnder, resourceAt, synthCluster, tempDir, TfJson } from './support/synth';

const ROOT = path.join(__dirname, '..');

/** Every feature on: SSH, HTTPS and workload identity, lookups, connectors, notifications, receiver, remote state. */
const FULL_CONFIG = `
clusters:
  - name: prod
    backend: { type: azurerm, resourceGroupName: rg-state, storageAccountName: stgitops, containerName: tfstate }
    workloadIdentity: { clientId: 11111111-2222-3333-4444-555555555555 }
    connector: { subscribers: { spektate: "http://spektate.spektate.svc.cluster.local:5000/api/flux" } }
    notifications:
      providers:
        - { name: teams, type: msteams, addressFromVariable: true }
    receiver: { publicUrl: "https://flux-webhook.example.com" }
    sops: { ageKey: true }
    repositories:
      - { name: platform, url: "git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-platform", wait: true }
      - { name: apps, azureDevOps: { organization: contoso, project: fabrikam, repository: cluster-apps }, auth: https, dependsOn: [platform] }
      - { name: tenants, url: "https://dev.azure.com/contoso/fabrikam/_git/tenants", auth: workload-identity }
`;

function writeConfig(text: string): string {
  const file = path.join(tempDir(), 'flux-gitops.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('no secret reaches the synthesized output', () => {
  // One canary per way a secret can be handed to the app or to the deploy that runs it.
  const canaries: Record<string, string> = {
    AZDO_PERSONAL_ACCESS_TOKEN: 'canary-azdo-pat-7c1e',
    AZDO_ENTRA_TOKEN: 'canary-entra-token-5d2a',
    TF_VAR_gitops_connector_pat: 'canary-connector-pat-9b3f',
    TF_VAR_flux_commit_status_pat: 'canary-commit-status-pat-5e7d',
    TF_VAR_flux_git_pat: 'canary-flux-git-pat-1a8c',
    TF_VAR_notification_address_teams: 'https://canary-teams-webhook.example/4e6d',
    TF_VAR_sops_age_key: 'AGE-SECRET-KEY-1CANARYSOPSAGEKEY5E7A',
    GITOPS_CONNECTOR_PAT: 'canary-pipeline-secret-3f0b',
    ARM_CLIENT_SECRET: 'canary-arm-client-secret-8e21',
    ARM_ACCESS_KEY: 'canary-storage-key-6c4a',
    ARM_OIDC_TOKEN: 'canary-oidc-token-2b9e',
    TF_TOKEN_app_terraform_io: 'canary-tfc-token-0d7f',
    SYSTEM_ACCESSTOKEN: 'canary-system-token-4a5c',
  };

  it('holds none of the secrets set in the environment, for a config with every feature on', () => {
    const { outdir, exitCode } = runMain({
      ...canaries,
      FLUX_GITOPS_CONFIG: writeConfig(FULL_CONFIG),
      CDKTF_CONTEXT_JSON: JSON.stringify({ pat: 'canary-context-value-ab12' }),
    });
    expect(exitCode).toBeUndefined();
    const files = filesUnder(outdir);
    expect([...files.keys()].some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    for (const [file, content] of files) {
      for (const canary of [...Object.values(canaries), 'canary-context-value-ab12']) {
        expect({ file, canary, found: content.includes(canary) }).toEqual({ file, canary, found: false });
      }
    }
  });

  it('gives every secret input to Terraform as a sensitive variable, and no output carries one', () => {
    const { outdir } = runMain({ FLUX_GITOPS_CONFIG: writeConfig(FULL_CONFIG) });
    const json: TfJson = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.variable!).sort()).toEqual(['flux_commit_status_pat', 'flux_git_pat', 'gitops_connector_pat', 'notification_address_teams', 'sops_age_key']);
    for (const [name, variable] of Object.entries(json.variable!)) expect({ name, sensitive: variable.sensitive }).toEqual({ name, sensitive: true });
    const secretish = /\b(var\.|random_password\.|private_key_(openssh|pem))/;
    // None at all, as the title says (the loop this replaces asked such outputs to be sensitive, and passed on none).
    expect(Object.entries(json.output!).filter(([, output]) => secretish.test(JSON.stringify(output.value))).map(([name, output]) => [name, output.sensitive])).toEqual([]);
    expect(Object.keys(json.output!).length).toBeGreaterThan(0);
    // The generated secrets are sensitive attributes of generated resources, referenced, never copied.
    expect(JSON.stringify(json)).not.toMatch(/-----BEGIN/);
  });

  it('refuses a token in a URL of the config, and does not repeat it in the error', () => {
    const token = 'canary-token-in-url-77aa';
    const file = writeConfig(`clusters:\n  - name: dev\n    repositories:\n      - { name: infra, url: "https://user:${token}@dev.azure.com/contoso/fabrikam/_git/infra" }\n`);
    expect(() => loadConfig(file)).toThrow(ConfigError);
    const { exitCode, stderr, outdir } = runMain({ FLUX_GITOPS_CONFIG: file });
    expect(exitCode).toBe(1);
    expect(stderr).toContain('clusters[0].repositories[0].url: carries a password');
    expect(stderr).toContain('https://***@dev.azure.com');
    expect(stderr).not.toContain(token);
    expect([...filesUnder(outdir).keys()].filter((f) => f.endsWith('cdk.tf.json'))).toEqual([]);
  });
});

describe('deterministic synth', () => {
  it('writes byte-identical output for the same config, naming no path of this machine', () => {
    const file = writeConfig(FULL_CONFIG);
    const first = filesUnder(runMain({ FLUX_GITOPS_CONFIG: file }).outdir);
    const second = filesUnder(runMain({ FLUX_GITOPS_CONFIG: file }).outdir);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    // The loops below pass on no files: the stack is there.
    expect([...first.keys()].filter((f) => f.endsWith('cdk.tf.json'))).toEqual(['stacks/prod/cdk.tf.json']);
    for (const [name, content] of first) expect({ name, same: content.equals(second.get(name)!) }).toEqual({ name, same: true });
    for (const [name, content] of first) {
      const text = content.toString('latin1');
      for (const local of [ROOT, os.tmpdir(), os.homedir()]) expect({ name, local, found: text.includes(local) }).toEqual({ name, local, found: false });
    }
  });
});

describe('key rotation', () => {
  const before = synthCluster(exampleCluster());
  const after = synthCluster(exampleCluster({ gitIdentity: { rotation: 1 } }));

  it('changes nothing but the rotation counter in the configuration', () => {
    const diff = (a: any, b: any, at = ''): string[] =>
      typeof a === 'object' && a !== null && typeof b === 'object' && b !== null
        ? [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => diff(a[k], b[k], `${at}.${k}`))
        : a === b
          ? []
          : [`${at}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
    const rotation = resourceAt(before, 'null_resource', 'git-identity/rotation').id;
    expect(diff(before, after)).toEqual([`.resource.null_resource.${rotation}.triggers.rotation: "0" -> "1"`]);
  });

  it('replaces the key create-before-destroy when the counter changes', () => {
    const rotation = resourceAt(after, 'null_resource', 'git-identity/rotation');
    expect(resourceAt(after, 'tls_private_key', 'git-identity/key').body.lifecycle).toEqual({
      create_before_destroy: true,
      // A bare address: cdktf 0.21 would write "${...}" for a construct, which Terraform rejects here.
      replace_triggered_by: [rotation.address],
    });
  });

  it('registers the new key, then moves the Secret to it, then revokes the old one', () => {
    const key = resourceAt(after, 'tls_private_key', 'git-identity/key');
    const registration = resourceAt(after, 'null_resource', 'ssh-key-contoso/registration');
    const secret = resourceAt(after, 'kubernetes_secret_v1', 'git-auth/secret');
    // The registration's triggers follow the key, so a new key replaces it; create-before-destroy
    // registers the new key before the old registration's destroy provisioner revokes the old one.
    expect(registration.body.triggers.public_key).toBe(`\${${key.address}.public_key_openssh}`);
    expect(registration.body.lifecycle).toEqual({ create_before_destroy: true });
    // The Secret depends on the registration: Terraform updates it to the new key before destroying
    // the replaced registration, so Flux has the new key before the old one stops working.
    expect(secret.body.depends_on).toContain(registration.address);
    expect(secret.body.data.identity).toBe(`\${${key.address}.private_key_openssh}`);
    // The new key gets its own expiry.
    expect(resourceAt(after, 'time_offset', 'ssh-key-contoso/expiry').body.triggers).toEqual({ public_key: `\${${key.address}.public_key_openssh}` });
  });
});

describe('the published JSON Schema of the config', () => {
  it('is generated from the validator schema as it is now (npm run schema)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'config', 'flux-gitops.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it('declares its dialect and the config root', () => {
    const schema = JSON.parse(configJsonSchemaText());
    // The root's other keywords (properties, $defs) are the generated file's, pinned whole by the test above.
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', required: ['clusters'] });
    expect(schema.properties.clusters.items.properties.repositories.items.properties.interval.pattern).toBe('^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$');
  });
});
