import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { AzuredevopsProvider } from '../.gen/providers/azuredevops/provider';
import { DataAzuredevopsProject } from '../.gen/providers/azuredevops/data-azuredevops-project';
import { isOrganizationName, isProjectName, isRepositoryName } from '../azure-devops/names';
import { ClusterConfig } from '../config/schema';
import { PACKAGE_ASSETS_DIR, SSH_KEYS_SCRIPT_FILE } from '../constructs/package-assets';
import { exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, resourcesOf, synthApp, synthCluster, synthClusters, withoutMetadata } from './support/synth';
import { attributesOf } from './support/kept-schema';

const ROOT = path.join(__dirname, '..');

describe('generated azuredevops bindings', () => {
  it('synthesize the microsoft/azuredevops provider pinned to the version of the kept schema', () => {
    const json = synthApp((app) => {
      const stack = new TerraformStack(app, 'test');
      new AzuredevopsProvider(stack, 'azuredevops', { orgServiceUrl: 'https://dev.azure.com/contoso' });
      new DataAzuredevopsProject(stack, 'project', { name: 'fabrikam' });
    }).stack('test');
    expect(json.terraform.required_providers.azuredevops).toEqual({ source: 'microsoft/azuredevops', version: '1.16.0' });
    expect(json.provider!.azuredevops).toEqual([{ org_service_url: 'https://dev.azure.com/contoso' }]);
    expect(Object.values(json.data!.azuredevops_project).map((body) => withoutMetadata(body))).toEqual([{ name: 'fabrikam' }]);
  });

  it('keep the schema in the `terraform providers schema -json` shape, for the pinned version', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'providers', 'azuredevops', 'schema.json'), 'utf8'));
    const fqpn = 'registry.terraform.io/microsoft/azuredevops';
    expect(schema.format_version).toBe('1.0');
    expect(schema.provider_versions).toEqual({ [fqpn]: '1.16.0' });
    const provider = schema.provider_schemas[fqpn];
    expect(Object.keys(provider.resource_schemas).sort()).toEqual([
      'azuredevops_git_permissions',
      'azuredevops_git_repository',
      'azuredevops_group',
      'azuredevops_service_principal_entitlement',
      'azuredevops_servicehook_webhook_tfs',
    ]);
    expect(Object.keys(provider.data_source_schemas).sort()).toEqual(['azuredevops_git_repository', 'azuredevops_project']);
    expect(attributesOf(provider.provider.block).personal_access_token).toBe('optional sensitive string');
    // The nesting only: the block's own attributes (init_type, ...) are the kept schema's to describe.
    expect(provider.resource_schemas.azuredevops_git_repository.block.block_types.initialization).toMatchObject({ nesting_mode: 'list', min_items: 1, max_items: 1 });
  });
});

/*
 * What microsoft/terraform-provider-azuredevops v1.16.0 (tag v1.16.0, commit 49268e97b8c0454a16495df5d39060957557e117)
 * declares for the resources the zero-secret mode keeps, read from its source:
 * - azuredevops/internal/service/memberentitlementmanagement/resource_service_principal_entitlement.go,
 *   ResourceServicePrincipalEntitlement(): origin_id Required ForceNew TypeString; origin Optional Computed ForceNew
 *   TypeString; account_license_type Optional TypeString (default express; advanced, earlyAdopter, express, basic,
 *   none, professional, stakeholder); licensing_source Optional TypeString (default account); display_name,
 *   descriptor Computed TypeString.
 * - azuredevops/internal/service/permissions/resource_git_permissions.go, ResourceGitPermissions(), with
 *   permissions/utils/baseSchema.go CreatePermissionResourceSchema: project_id Required ForceNew TypeString (UUID);
 *   repository_id Optional ForceNew TypeString (UUID); branch_name Optional ForceNew TypeString; principal Required
 *   ForceNew TypeString; replace Optional TypeBool (default true); permissions Required TypeMap of TypeString.
 * - azuredevops/internal/service/graph/resource_group.go, ResourceGroup(): scope Optional ForceNew TypeString (a project
 *   or collection id, parsed as a UUID and turned into its descriptor on create); display_name Optional Computed
 *   TypeString; description Optional TypeString; members Optional Computed TypeSet of TypeString (ConfigMode attr);
 *   descriptor Computed TypeString (origin_id, mail, url, origin, subject_kind, domain, principal_name, group_id and
 *   the timeouts block not kept).
 * The plugin SDK adds `id` (Optional Computed) to each. All are in provider.go's ResourcesMap at that tag.
 */
const AZUREDEVOPS_SOURCE = {
  azuredevops_service_principal_entitlement: {
    account_license_type: 'optional string',
    descriptor: 'computed string',
    display_name: 'computed string',
    id: 'optional computed string',
    licensing_source: 'optional string',
    origin: 'optional computed string',
    origin_id: 'required string',
  },
  azuredevops_group: {
    description: 'optional string',
    descriptor: 'computed string',
    display_name: 'optional computed string',
    id: 'optional computed string',
    members: 'optional computed set(string)',
    scope: 'optional string',
  },
  azuredevops_git_permissions: {
    branch_name: 'optional string',
    id: 'optional computed string',
    permissions: 'required map(string)',
    principal: 'required string',
    project_id: 'required string',
    replace: 'optional bool',
    repository_id: 'optional string',
  },
};

describe('the kept azuredevops schema for the zero-secret mode', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'providers', 'azuredevops', 'schema.json'), 'utf8'));
  const provider = schema.provider_schemas['registry.terraform.io/microsoft/azuredevops'];
  it.each(Object.keys(AZUREDEVOPS_SOURCE) as (keyof typeof AZUREDEVOPS_SOURCE)[])('keeps %s attribute for attribute as the v1.16.0 source has it', (name) => {
    expect(attributesOf(provider.resource_schemas[name].block)).toEqual(AZUREDEVOPS_SOURCE[name]);
  });
});

describe('Azure DevOps names', () => {
  it.each([
    ['contoso', true], ['contoso-dev', true], ['a', true], ['-contoso', false], ['contoso-', false], ['con toso', false], ['c'.repeat(50), true], ['c'.repeat(51), false],
  ])('organisation %j: %s', (name, ok) => expect(isOrganizationName(name)).toBe(ok));

  it.each([
    ['fabrikam', true], ['My Project', true], ['a/b', false], ['_hidden', false], ['.dot', false], ['dot.', false], ["o'brien", false], ['App_Data', false], ['p'.repeat(65), false],
  ])('project %j: %s', (name, ok) => expect(isProjectName(name)).toBe(ok));

  it.each([
    ['cluster-manifests', true], ["team's-infra", true], ['a:b', false], ['COM1', false], ['com1', false], ['x|y', false], ['r'.repeat(64), true],
  ])('repository %j: %s', (name, ok) => expect(isRepositoryName(name)).toBe(ok));
});

const lookupCluster = (extra: Partial<ClusterConfig> = {}): ClusterConfig =>
  exampleCluster({
    repositories: [
      { name: 'platform', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'cluster-platform' }, path: './clusters/dev' },
      { name: 'apps', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'cluster-apps', create: true }, ref: { branch: 'release' } },
    ],
    ...extra,
  });

describe('repositories looked up in Azure DevOps', () => {
  const json = synthCluster(lookupCluster());
  const objects = fluxObjects(json);

  it('configures the provider for the organisation with no credentials in the JSON', () => {
    expect(json.provider!.azuredevops).toEqual([{ org_service_url: 'https://dev.azure.com/contoso' }]);
    expect(JSON.stringify(json)).not.toMatch(/personal_access_token|client_secret|oidc_token/);
  });

  it('reads the project and the repository through the data sources', () => {
    const project = resourceAt({ resource: json.data }, 'azuredevops_project', 'azure-repos-platform/project');
    expect(project.body.name).toBe('fabrikam');
    const repo = resourceAt({ resource: json.data }, 'azuredevops_git_repository', 'azure-repos-platform/repository');
    expect(withoutMetadata(repo.body)).toEqual({ name: 'cluster-platform', project_id: `\${data.azuredevops_project.${project.id}.id}` });
  });

  it('feeds the SSH URL from Azure DevOps, rewritten to ssh://, into the GitRepository, with its default branch', () => {
    const repo = resourceAt({ resource: json.data }, 'azuredevops_git_repository', 'azure-repos-platform/repository');
    const git = objectOf(objects, 'GitRepository', 'platform');
    const local = git.spec.url.match(/^\$\{local\.([^}]+)\}$/)?.[1];
    expect(local).toBeDefined();
    expect(json.locals![local!]).toBe(`\${replace(data.azuredevops_git_repository.${repo.id}.ssh_url, "git@ssh.dev.azure.com:", "ssh://git@ssh.dev.azure.com/")}`);
    expect(git.spec.ref).toEqual({ name: `\${data.azuredevops_git_repository.${repo.id}.default_branch}` });
    expect(git.spec.secretRef).toEqual({ name: 'flux-git-auth' });
  });

  it('creates a repository the config asks for, initialised and protected from destroy', () => {
    const created = resourceAt(json, 'azuredevops_git_repository', 'azure-repos-apps/repository');
    expect(withoutMetadata(created.body)).toEqual({
      name: 'cluster-apps',
      project_id: `\${data.azuredevops_project.${resourceAt({ resource: json.data }, 'azuredevops_project', 'azure-repos-apps/project').id}.id}`,
      initialization: { init_type: 'Clean' },
      lifecycle: { prevent_destroy: true, ignore_changes: ['initialization'] },
    });
    const git = objectOf(objects, 'GitRepository', 'apps');
    expect(git.spec.ref).toEqual({ branch: 'release' });
    const local = git.spec.url.match(/^\$\{local\.([^}]+)\}$/)![1];
    expect(json.locals![local]).toContain(`azuredevops_git_repository.${created.id}.ssh_url`);
  });

  it('gives each organisation its own provider alias when there are several', () => {
    const multi = synthCluster(
      exampleCluster({
        repositories: [
          { name: 'a', azureDevOps: { organization: 'contoso', project: 'p', repository: 'r' } },
          { name: 'b', azureDevOps: { organization: 'northwind', project: 'p', repository: 'r' } },
        ],
      }),
    );
    expect(multi.provider!.azuredevops).toEqual([
      { alias: 'contoso', org_service_url: 'https://dev.azure.com/contoso' },
      { alias: 'northwind', org_service_url: 'https://dev.azure.com/northwind' },
    ]);
    expect(resourceAt({ resource: multi.data }, 'azuredevops_git_repository', 'azure-repos-b/repository').body.provider).toBe('azuredevops.northwind');
    expect(resourcesOf(multi, 'null_resource').filter(([, b]) => b.triggers.public_key)).toHaveLength(2);
  });
});

describe('the HTTPS URL of a looked-up repository', () => {
  it('strips the organisation from remote_url whatever its case, as Azure DevOps compares organisation names', () => {
    const json = synthCluster(exampleCluster({ repositories: [{ name: 'a', azureDevOps: { organization: 'Contoso', project: 'p', repository: 'r' }, auth: 'https' }] }));
    const local = objectOf(fluxObjects(json), 'GitRepository', 'a').spec.url.match(/^\$\{local\.([^}]+)\}$/)![1];
    const [, pattern] = json.locals![local].match(/^\$\{replace\([^,]+\.remote_url, "\/(.*)\/", "https:\/\/"\)\}$/)!;
    // Terraform's replace takes "/.../" as an RE2 pattern, where a leading (?i) ignores case: JavaScript's "i" flag.
    expect(pattern).toBe('(?i)^https://Contoso@');
    const re2 = new RegExp(pattern.replace(/^\(\?i\)/, ''), 'i');
    // The API answers with its own spelling of the organisation (azuredevops data source remote_url).
    expect(['https://contoso@dev.azure.com/contoso/p/_git/r', 'https://CONTOSO@dev.azure.com/CONTOSO/p/_git/r'].map((url) => url.replace(re2, 'https://'))).toEqual([
      'https://dev.azure.com/contoso/p/_git/r',
      'https://dev.azure.com/CONTOSO/p/_git/r',
    ]);
  });
});

describe('automatic SSH key registration', () => {
  const synthesized = synthClusters([exampleCluster()]);
  const json = synthesized.stack('example');
  const registration = resourceAt(json, 'null_resource', 'ssh-key-contoso/registration');
  const expiry = resourceAt(json, 'time_offset', 'ssh-key-contoso/expiry');
  const key = resourceAt(json, 'tls_private_key', 'git-identity/key');

  it('runs the shipped script on create and on destroy, with everything revoke needs in its triggers', () => {
    expect(registration.body.triggers).toEqual({
      organization: 'contoso',
      public_key: `\${${key.address}.public_key_openssh}`,
      name: 'flux-gitops example: fabrikam/cluster-platform, fabrikam/cluster-apps',
      valid_to: `\${${expiry.address}.rfc3339}`,
      // Replaces registrations made by the script before tokenType=Compact, which Azure DevOps never stored.
      protocol: '2',
    });
    const [create, destroy] = registration.body.provisioner.map((p: any) => p['local-exec']);
    expect(create.command).toMatch(/^node \.\/assets\/[^ ]+\/ssh-keys\.js register$/);
    expect(create.when).toBeUndefined();
    expect(create.environment).toEqual({
      FLUX_SSH_KEY_ORGANIZATION: 'contoso',
      FLUX_SSH_KEY_PUBLIC: `\${${key.address}.public_key_openssh}`,
      FLUX_SSH_KEY_NAME: registration.body.triggers.name,
      FLUX_SSH_KEY_VALID_TO: `\${${expiry.address}.rfc3339}`,
      // The resource's own id names its registration, so revoke deletes only what this instance holds.
      FLUX_SSH_KEY_INSTANCE: '${self.id}',
    });
    expect(destroy).toEqual({
      command: create.command.replace(/register$/, 'revoke'),
      when: 'destroy',
      environment: {
        FLUX_SSH_KEY_ORGANIZATION: '${self.triggers.organization}',
        FLUX_SSH_KEY_PUBLIC: '${self.triggers.public_key}',
        FLUX_SSH_KEY_NAME: '${self.triggers.name}',
        FLUX_SSH_KEY_VALID_TO: '${self.triggers.valid_to}',
        FLUX_SSH_KEY_INSTANCE: '${self.id}',
      },
    });
  });

  it('ships the script next to cdk.tf.json, byte for byte', () => {
    const command: string = registration.body.provisioner[0]['local-exec'].command;
    const shipped = path.join(synthesized.outdir, 'stacks', 'example', command.split(' ')[1]);
    expect(fs.readFileSync(shipped, 'utf8')).toBe(fs.readFileSync(path.join(PACKAGE_ASSETS_DIR, SSH_KEYS_SCRIPT_FILE), 'utf8'));
  });

  it('registers the new key before revoking the old one when the key or its expiry changes', () => {
    expect(registration.body.lifecycle).toEqual({ create_before_destroy: true });
    expect(withoutMetadata(expiry.body)).toEqual({ offset_days: 365, triggers: { public_key: `\${${key.address}.public_key_openssh}` } });
  });

  it('applies the Flux objects only after the key is registered', () => {
    expect(resourceAt(json, 'helm_release', 'flux-objects/release').body.depends_on).toContain(registration.address);
  });

  it('reads the stored expiry back through a data "external" source running the shipped script, after the registration', () => {
    const stored = resourceAt({ resource: json.data }, 'external', 'ssh-key-contoso/stored-expiry');
    const [node, script, command] = stored.body.program;
    expect([node, command]).toEqual(['node', 'expiry']);
    expect(`node ${script} register`).toBe(registration.body.provisioner[0]['local-exec'].command);
    // The query holds what identifies the key and the requested date; the token is read from the
    // environment by the script, so no part of the configuration names it.
    expect(stored.body.query).toEqual({
      organization: 'contoso',
      public_key: `\${${key.address}.public_key_openssh}`,
      valid_to: `\${${expiry.address}.rfc3339}`,
    });
    expect(stored.body.depends_on).toEqual([registration.address]);
    expect(Object.keys(stored.body).sort()).toEqual(['//', 'depends_on', 'program', 'query']);
    expect(json.terraform.required_providers.external).toEqual({ source: 'hashicorp/external', version: '2.4.0' });
    expect(json.provider!.external).toEqual([{}]);
  });

  it('outputs the stored expiry and the keys page', () => {
    expect(json.output!.ssh_key_expires_at.value).toEqual({ contoso: `\${data.${resourceAt({ resource: json.data }, 'external', 'ssh-key-contoso/stored-expiry').address}.result["valid_to"]}` });
    expect(json.output!.ssh_key_expires_at.description).toMatch(/as Azure DevOps stored it .*without one .* the requested date/);
    expect(json.output!.ssh_key_pages.value).toEqual({ contoso: 'https://dev.azure.com/contoso/_usersSettings/keys' });
  });

  it('registers once per organisation, whatever the spelling of its name (Contoso and contoso are one organisation)', () => {
    const mixed = synthCluster(
      exampleCluster({
        repositories: [
          { name: 'a', url: 'ssh://git@ssh.dev.azure.com/v3/Contoso/p/r1' },
          { name: 'b', url: 'ssh://git@ssh.dev.azure.com/v3/contoso/p/r2' },
        ],
      }),
    );
    const registrations = resourcesOf(mixed, 'null_resource').filter(([, b]) => b.triggers?.public_key);
    expect(registrations.map(([, b]) => [b.triggers.organization, b.triggers.name])).toEqual([['Contoso', 'flux-gitops example: p/r1, p/r2']]);
    expect(Object.keys(mixed.output!.ssh_key_pages.value)).toEqual(['Contoso']);
    expect(Object.keys(mixed.output!.ssh_key_expires_at.value)).toEqual(['Contoso']);
  });

  it('honours a shorter validity', () => {
    const short = synthCluster(exampleCluster({ azureDevOps: { keyValidityDays: 90 } }));
    expect(resourceAt(short, 'time_offset', 'ssh-key-contoso/expiry').body.offset_days).toBe(90);
  });
});

describe('with automatic registration off', () => {
  const json = synthCluster(exampleCluster({ azureDevOps: { registerSshKey: false } }));

  it('synthesizes no registration and no provider only it would need', () => {
    expect(resourcesOf(json, 'null_resource').map(([, b]) => b['//'].metadata.path)).toEqual(['example/git-identity/rotation']);
    expect(resourcesOf(json, 'time_offset')).toEqual([]);
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['helm', 'kubernetes', 'null', 'tls']);
  });

  it('outputs the public key, its fingerprint and the exact page to paste it into', () => {
    expect(Object.keys(json.output!).sort()).toEqual(['flux_namespace', 'git_public_key', 'git_public_key_fingerprint', 'git_repository_urls', 'gitops_connector_addresses', 'ssh_key_pages']);
    expect(json.output!.ssh_key_pages).toEqual({
      value: { contoso: 'https://dev.azure.com/contoso/_usersSettings/keys' },
      description: expect.stringMatching(/^Automatic registration is off: add git_public_key on these pages/),
    });
  });
});

describe('other auth modes', () => {
  it('https: a username/password Secret fed by a sensitive variable, and the _git URL', () => {
    const json = synthCluster(
      exampleCluster({
        repositories: [
          { name: 'infra', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/infra', auth: 'https' },
          { name: 'looked-up', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'apps' }, auth: 'https' },
        ],
      }),
    );
    expect(json.variable!.flux_git_pat).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'PAT Flux reads HTTPS repositories with (scope Code: Read). Set TF_VAR_flux_git_pat.',
      // An empty PAT would fail only at the first fetch in the cluster: the plan refuses it.
      validation: [{ condition: '${(length(trimspace(var.flux_git_pat)) >= 1)}', error_message: 'flux_git_pat is empty: set TF_VAR_flux_git_pat to the PAT.' }],
    });
    const secret = resourceAt(json, 'kubernetes_secret_v1', 'git-https-auth/secret');
    expect(secret.body.data).toEqual({ username: 'git', password: '${var.flux_git_pat}' });
    expect(secret.body.metadata.name).toBe('flux-git-https-auth');
    const objects = fluxObjects(json);
    expect(objectOf(objects, 'GitRepository', 'infra').spec).toEqual({
      interval: '5m',
      ref: { branch: 'main' },
      url: 'https://dev.azure.com/contoso/fabrikam/_git/infra',
      secretRef: { name: 'flux-git-https-auth' },
    });
    const local = objectOf(objects, 'GitRepository', 'looked-up').spec.url.match(/^\$\{local\.([^}]+)\}$/)![1];
    expect(json.locals![local]).toMatch(/^\$\{replace\(data\.azuredevops_git_repository\.[^.]+\.remote_url, "\/\(\?i\)\^https:\/\/contoso@\/", "https:\/\/"\)\}$/);
    // No SSH repository: no key, no registration, no host key restriction.
    expect(resourcesOf(json, 'tls_private_key')).toEqual([]);
    expect(resourcesOf(json, 'null_resource')).toEqual([]);
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).sourceController.container.additionalArgs).toEqual([]);
  });

  it('workload identity: provider azure, no Secret, and the identity on source-controller', () => {
    const json = synthCluster(
      exampleCluster({
        workloadIdentity: { clientId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000' },
        repositories: [{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/infra', auth: 'workload-identity' }],
      }),
    );
    expect(objectOf(fluxObjects(json), 'GitRepository', 'infra').spec).toEqual({
      url: 'https://dev.azure.com/contoso/fabrikam/_git/infra',
      interval: '5m',
      ref: { branch: 'main' },
      provider: 'azure',
    });
    expect(resourcesOf(json, 'kubernetes_secret_v1').map(([, b]) => b.metadata.name).filter((n: string) => n.startsWith('flux-git'))).toEqual([]);
    const source = releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).sourceController;
    expect(source.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(source.serviceAccount.annotations).toEqual({
      'azure.workload.identity/client-id': '11111111-2222-3333-4444-555555555555',
      'azure.workload.identity/tenant-id': '66666666-7777-8888-9999-000000000000',
    });
  });
});
