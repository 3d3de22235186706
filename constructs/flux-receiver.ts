import { Fn, ITerraformDependable, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Password } from '@cdktf/provider-random/lib/password';
import { CrossNamespaceObjectReference, Receiver, RECEIVER_API_VERSION } from '../flux/api';
import { isDnsLabel, isDnsSubdomain, isHttpsBaseUrl } from '../flux/formats';
import { MANAGED_BY_LABELS } from './flux-git-secret';

/** Props of {@link FluxReceiver}. */
export interface FluxReceiverProps {
  /** Namespace of the Receiver and its Secret (the Flux namespace). */
  readonly namespace: string;
  /**
   * Name of the Receiver.
   * @default - the construct id
   */
  readonly name?: string;
  /** The objects a call reconciles, e.g. the GitRepository of the pushed repository. */
  readonly resources: readonly CrossNamespaceObjectReference[];
  /**
   * Where notification-controller's webhook receiver is reachable from the sender, without a path:
   * e.g. `https://flux-webhook.example.com`.
   */
  readonly publicUrl: string;
  /**
   * Secret with the token (key `token`); created with a random token when not given.
   * @default - a Secret `<name>-token` with a generated token
   */
  readonly secretName?: string;
  /**
   * The token, when `secretName` names an existing Secret (a Terraform reference).
   * @default - generated
   */
  readonly token?: string;
  /**
   * What the generated Secret waits for: what creates its namespace (the flux2 release, with
   * create_namespace), or the Secret fails on a fresh cluster.
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A Flux Receiver (`notification.toolkit.fluxcd.io/v1`, type `generic`) and the URL to call it:
 * a POST to that URL makes Flux reconcile the resources now instead of at their next interval.
 *
 * A generic Receiver checks nothing but the path: `/hook/` + sha256(token + name + namespace), which
 * is computed here by Terraform from the same token the Secret holds. Deliver `receiver` with the
 * other Flux objects, after `secret`.
 */
export class FluxReceiver extends Construct {
  public readonly name: string;
  public readonly receiver: Receiver;
  /** The Secret with the token, when this construct created it. */
  public readonly secret?: SecretV1;
  /** The full URL to POST to (holds the token-derived path: treat it as a secret). */
  public readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: FluxReceiverProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxReceiver ${this.node.path}`;
    this.name = props.name ?? id;
    if (!isDnsSubdomain(this.name)) throw new Error(`${where}: name ${JSON.stringify(this.name)} is not an RFC 1123 name`);
    if (!isDnsLabel(props.namespace)) throw new Error(`${where}: namespace ${JSON.stringify(props.namespace)} is not an RFC 1123 label`);
    if (!isHttpsBaseUrl(props.publicUrl)) {
      throw new Error(`${where}: publicUrl ${JSON.stringify(props.publicUrl)} is not valid; use an https:// URL without query, e.g. https://flux-webhook.example.com`);
    }
    if (props.resources.length === 0) throw new Error(`${where}: resources is empty; name at least one object to reconcile`);
    if ((props.secretName === undefined) !== (props.token === undefined)) {
      throw new Error(`${where}: give both secretName and token, or neither (a token is then generated)`);
    }

    let token = props.token;
    let secretName = props.secretName;
    if (token === undefined) {
      token = new Password(this, 'token', { length: 40, special: false }).result;
      secretName = `${this.name}-token`;
      this.secret = new SecretV1(this, 'secret', {
        metadata: { name: secretName, namespace: props.namespace, labels: { ...MANAGED_BY_LABELS } },
        type: 'Opaque',
        data: { token },
        dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      });
    }
    this.receiver = {
      apiVersion: RECEIVER_API_VERSION,
      kind: 'Receiver',
      metadata: { name: this.name, namespace: props.namespace },
      spec: { type: 'generic', resources: props.resources.map((r) => ({ ...r })), secretRef: { name: secretName! } },
    };
    // notification-controller serves a Receiver at /hook/ + hex(sha256(token + name + namespace)).
    const path = Fn.sha256(`${token}${this.name}${props.namespace}`);
    this.webhookUrl = new TerraformLocal(this, 'webhook_url', `${props.publicUrl.replace(/\/+$/, '')}/hook/${path}`).asString;
  }
}
