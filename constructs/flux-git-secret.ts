import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { isDnsLabel, isReservedNamespace, isDnsSubdomain } from '../flux/formats';
import { GitIdentity } from './git-identity';
import { KnownHosts } from './known-hosts';

/** Labels of every Secret this package creates, so `kubectl get secret -l` finds them. */
export const MANAGED_BY_LABELS: { readonly [key: string]: string } = { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' };

/** The Secret of Flux's SSH identity and known_hosts, in the Flux namespace. */
export const GIT_SSH_SECRET = 'flux-git-auth';

/** SSH credentials of the Secret: the key pair and the known_hosts to trust. */
export interface FluxGitSshAuth {
  readonly identity: GitIdentity;
  readonly knownHosts: KnownHosts;
}

/** HTTPS credentials of the Secret: a user name and a PAT. */
export interface FluxGitHttpsAuth {
  /**
   * Basic-auth user name. Azure Repos ignores it when the password is a PAT, but it must not be empty.
   * @default 'git'
   */
  readonly username?: string;
  /** The PAT: a Terraform reference (a sensitive `TerraformVariable`), never a literal. */
  readonly password: string;
}

/** Props of {@link FluxGitSecret}: SSH or HTTPS credentials. */
export interface FluxGitSecretProps {
  /** Namespace of the GitRepository objects that use the Secret. */
  readonly namespace: string;
  /**
   * Secret name, referenced by `GitRepository.spec.secretRef`.
   * @default 'flux-git-auth'
   */
  readonly name?: string;
  /** SSH: the key pair and known_hosts. Exactly one of `ssh` and `https`. */
  readonly ssh?: FluxGitSshAuth;
  /** HTTPS basic auth with a PAT. Exactly one of `ssh` and `https`. */
  readonly https?: FluxGitHttpsAuth;
  /**
   * Resources to create first (the Flux install, which creates the namespace).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The Secret source-controller reads to authenticate to git: `identity`, `identity.pub` and
 * `known_hosts` for SSH, or `username`/`password` for HTTPS, in Flux's own key names.
 */
export class FluxGitSecret extends Construct {
  public readonly secret: SecretV1;
  public readonly secretName: string;
  public readonly namespace: string;
  public readonly transport: 'ssh' | 'https';

  constructor(scope: Construct, id: string, props: FluxGitSecretProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxGitSecret ${this.node.path}`;
    this.secretName = props.name ?? GIT_SSH_SECRET;
    this.namespace = props.namespace;
    if (!isDnsSubdomain(this.secretName)) {
      throw new Error(`${where}: name ${JSON.stringify(this.secretName)} is not an RFC 1123 name (lower-case letters, digits, "-", ".")`);
    }
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not an RFC 1123 label`);
    }
    if (isReservedNamespace(this.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not valid; use the Flux namespace, not default or a kube-* namespace`);
    }
    if (!props.ssh === !props.https) {
      throw new Error(`${where}: set exactly one of ssh and https (got ${props.ssh ? 'both' : 'neither'})`);
    }
    let data: Record<string, string>;
    if (props.ssh) {
      this.transport = 'ssh';
      data = {
        identity: props.ssh.identity.privateKeyOpenssh,
        'identity.pub': props.ssh.identity.publicKeyOpenssh,
        known_hosts: props.ssh.knownHosts.content,
      };
    } else {
      this.transport = 'https';
      const https = props.https!;
      if (!Token.isUnresolved(https.password)) {
        throw new Error(`${where}: https.password is a literal string; pass a sensitive TerraformVariable (or another Terraform reference) so the PAT never lands in the synthesized JSON`);
      }
      const username = https.username ?? 'git';
      if (username.length === 0) throw new Error(`${where}: https.username is empty; Flux needs a non-empty user name ('git' works for Azure Repos)`);
      data = { username, password: https.password };
    }
    this.secret = new SecretV1(this, 'secret', {
      metadata: {
        name: this.secretName,
        namespace: this.namespace,
        labels: { ...MANAGED_BY_LABELS },
      },
      type: 'Opaque',
      data,
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
    });
  }
}
