import { TerraformSelf } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Offset } from '@cdktf/provider-time/lib/offset';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { DataExternal } from '../.gen/providers/external/data-external';
import { ExternalProvider } from '../.gen/providers/external/provider';
import { AZURE_DEVOPS_NAME_RULES, isOrganizationName, keysPageUrl } from '../azure-devops/names';
import { GitIdentity } from './git-identity';
import { PackageAssets, SSH_KEYS_SCRIPT_FILE } from './package-assets';

/** Bumped when registrations made by earlier versions must be made again (see the triggers below). */
export const REGISTRATION_PROTOCOL = '2';

/** Azure DevOps keys last at most one year. */
export const MAX_KEY_VALIDITY_DAYS = 365;

/** Props of {@link AzureDevOpsSshKey}. */
export interface AzureDevOpsSshKeyProps {
  /** Organisation the key is registered in (the user's SSH keys are per organisation). */
  readonly organization: string;
  /** The key pair whose public half is registered; must be RSA. */
  readonly identity: GitIdentity;
  /**
   * Name shown on the SSH public keys page; say which cluster and repositories the key serves.
   * The expiry date is appended.
   */
  readonly displayName: string;
  /**
   * Days the registration lasts, counted from the apply that creates it (1 to 365).
   * @default 365
   */
  readonly validityDays?: number;
}

/**
 * Registers the Flux public key as an SSH key of the user whose token runs the deploy, so no one
 * pastes it into the web UI. Terraform has no resource for these keys, so a `null_resource` runs
 * `assets/ssh-keys.js` from local-exec provisioners: register on create, revoke on destroy.
 * A new key (rotation) or a new expiry replaces the resource create-before-destroy: the new
 * registration exists before the old one is revoked. The same key replaced (`-replace`, a renewal)
 * keeps one registration, which the new instance takes over.
 *
 * Only a user's token can register keys: Azure DevOps refuses service principals and managed identities.
 *
 * Credentials are read by the script from the environment of `cdktf deploy` (AZDO_ENTRA_TOKEN or
 * AZDO_PERSONAL_ACCESS_TOKEN) and never enter the configuration or the state.
 *
 * Needs the null and time providers in its stack; it adds the external provider (hashicorp/external,
 * which reads the stored expiry) to its stack unless the stack has one already.
 */
export class AzureDevOpsSshKey extends Construct {
  public readonly registration: Resource;
  /**
   * RFC 3339 time the registration expires as Azure DevOps stored it: the server clamps an expiry beyond
   * the organisation's maximum lifetime. Read by a `data "external"` source running the key script with
   * the deploy's token, at each plan, and at apply when the registration changes. Without a token in the
   * environment (or when Azure DevOps cannot be read) it is {@link requestedExpiresAt}.
   */
  public readonly expiresAt: string;
  /** RFC 3339 time the registration was asked to expire; known after apply. */
  public readonly requestedExpiresAt: string;
  /** The data source reading the stored expiry; its `result.source` says whether it was read. */
  public readonly storedExpiry: DataExternal;
  /** The page where the key is shown (and where it would be pasted by hand). */
  public readonly keysPageUrl: string;
  public readonly organization: string;

  constructor(scope: Construct, id: string, props: AzureDevOpsSshKeyProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `AzureDevOpsSshKey ${this.node.path}`;
    if (!isOrganizationName(props.organization)) {
      throw new Error(`${where}: organization ${JSON.stringify(props.organization)} is not ${AZURE_DEVOPS_NAME_RULES.organization}`);
    }
    if (props.identity.algorithm !== 'RSA') {
      throw new Error(`${where}: identity uses ${props.identity.algorithm}; Azure DevOps accepts only RSA keys for SSH`);
    }
    const days = props.validityDays ?? MAX_KEY_VALIDITY_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_KEY_VALIDITY_DAYS) {
      throw new Error(`${where}: validityDays ${days} must be a whole number of days from 1 to ${MAX_KEY_VALIDITY_DAYS} (Azure DevOps keys last at most a year)`);
    }
    if (props.displayName.trim() === '') throw new Error(`${where}: displayName is empty`);
    this.organization = props.organization;
    this.keysPageUrl = keysPageUrl(props.organization);

    // The expiry is computed by Terraform at the apply that registers the key (and kept in state),
    // so synth output does not depend on the day it is run.
    const expiry = new Offset(this, 'expiry', {
      offsetDays: days,
      triggers: { public_key: props.identity.publicKeyOpenssh },
    });
    this.requestedExpiresAt = expiry.rfc3339;

    // The script the provisioners run (assets/ssh-keys.js), shipped next to cdk.tf.json.
    const script = PackageAssets.of(this).pathOf(SSH_KEYS_SCRIPT_FILE);
    const inputs = {
      organization: props.organization,
      public_key: props.identity.publicKeyOpenssh,
      name: props.displayName,
      valid_to: expiry.rfc3339,
    };
    // A destroy-time provisioner may only refer to `self`: everything revoke needs is in the triggers.
    // Both provisioners name the registration after this resource instance (`self.id`, known once
    // Terraform has created it, before its provisioners run; create-time provisioners may use `self`, as
    // the local-exec page's own example does): Azure DevOps holds one key once per
    // organisation, so a replacement takes the registration over, and revoke deletes only a
    // registration still carrying its own instance's id.
    const envFrom = (get: (key: keyof typeof inputs) => string) => ({
      FLUX_SSH_KEY_ORGANIZATION: get('organization'),
      FLUX_SSH_KEY_PUBLIC: get('public_key'),
      FLUX_SSH_KEY_NAME: get('name'),
      FLUX_SSH_KEY_VALID_TO: get('valid_to'),
      FLUX_SSH_KEY_INSTANCE: TerraformSelf.getString('id'),
    });
    this.registration = new Resource(this, 'registration', {
      // `protocol` changes when a registration made by an earlier script cannot be trusted: a change of
      // provisioners alone re-runs nothing, while a changed trigger replaces the resource. Protocol 2:
      // before it, the script's creates were never stored by Azure DevOps (no tokenType=Compact), so
      // every existing deployment must register again.
      triggers: { ...inputs, protocol: REGISTRATION_PROTOCOL },
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        { type: 'local-exec', command: `node ${script} register`, environment: envFrom((k) => inputs[k]) },
        { type: 'local-exec', when: 'destroy', command: `node ${script} revoke`, environment: envFrom((k) => TerraformSelf.getString(`triggers.${k}`)) },
      ],
    });

    // The stored expiry, read back by the same script. The external provider runs the program without
    // a shell, with the query as a JSON object on stdin and every environment variable of Terraform
    // passed through, and takes a JSON object of strings from stdout (hashicorp/terraform-provider-external
    // v2.4.0, docs/data-sources/external.md "External Program Protocol", internal/provider/data_source.go
    // Read): so the token stays in the environment, out of the configuration and the state. `depends_on`
    // the registration: a data source whose dependency has changes is read at apply, after it
    // (developer.hashicorp.com/terraform/language/meta-arguments/depends_on, "Processing and Planning
    // Consequences"); otherwise it is read at each plan. The script answers the requested expiry when
    // it cannot read the stored one, so a plan without a token still works.
    ensureExternalProvider(this);
    this.storedExpiry = new DataExternal(this, 'stored-expiry', {
      program: ['node', script, 'expiry'],
      query: { organization: props.organization, public_key: props.identity.publicKeyOpenssh, valid_to: expiry.rfc3339 },
      dependsOn: [this.registration],
    });
    this.expiresAt = this.storedExpiry.result.lookup('valid_to');
  }
}

/**
 * One default external provider per stack: a second default configuration of a provider is an error
 * in Terraform, so one the stack already has (the app's, or a library user's) is used as it is.
 */
function ensureExternalProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  // By type, not class: a library user's may come from another binding (@cdktf/provider-external).
  const existing = stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === 'external' && c.alias === undefined);
  if (!existing) new ExternalProvider(stack, 'external');
}
