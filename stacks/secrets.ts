import { Fn, ITerraformDependable, Op, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ClusterConfig } from '../config/schema';
import { MANAGED_BY_LABELS } from '../constructs/flux-git-secret';

/** The Secret (key `age.agekey`) the stack makes from `TF_VAR_sops_age_key` with `sops.ageKey`. */
export const SOPS_AGE_SECRET = 'sops-age';

/**
 * A sensitive string variable that must not be empty: an empty PAT renders no Secret and the pod that
 * needs it never starts (or a Secret whose empty value fails only in the cluster: a git sign-in, a SOPS
 * decryption, a notification), so the plan stops at the variable instead. `what` names the value in the message.
 */
export function nonEmptySecretVariable(scope: Construct, name: string, description: string, what = 'the PAT'): TerraformVariable {
  const variable = new TerraformVariable(scope, name, { type: 'string', sensitive: true, nullable: false, description });
  variable.addValidation({
    // ">= 1", not "> 0": cdktf 0.21 renders a literal 0 operand as "undefined".
    condition: Op.gte(Fn.lengthOf(Fn.trimspace(variable.stringValue)), 1),
    errorMessage: `${name} is empty: set TF_VAR_${name} to ${what}.`,
  });
  return variable;
}

/** A Secret in the Flux namespace, created after the namespace. */
export function fluxSecret(scope: Construct, namespace: string, id: string, name: string, data: Record<string, string>, dependsOn: ITerraformDependable[]): SecretV1 {
  return new SecretV1(scope, id, {
    metadata: { name, namespace, labels: { ...MANAGED_BY_LABELS } },
    type: 'Opaque',
    data,
    dependsOn,
  });
}

/** With `sops.ageKey`: the sensitive variable holding the age key and the Secret kustomize-controller reads it from. */
export function addSopsAgeKey(
  scope: Construct,
  cluster: ClusterConfig,
  namespace: string,
  afterFlux: ITerraformDependable[],
): { variable?: TerraformVariable; secret?: SecretV1 } {
  if (!cluster.sops?.ageKey) return {};
  const variable = nonEmptySecretVariable(
    scope,
    'sops_age_key',
    'The age private key (AGE-SECRET-KEY-1...) kustomize-controller decrypts SOPS files with. Set TF_VAR_sops_age_key.',
    'the age key',
  );
  // kustomize-controller reads age keys from Secret keys ending in .agekey (Flux guide "Manage Kubernetes secrets with SOPS").
  return { variable, secret: fluxSecret(scope, namespace, 'sops-age', SOPS_AGE_SECRET, { 'age.agekey': variable.stringValue }, afterFlux) };
}

/** Two Secrets of the stack with one namespace and name: Kubernetes would hold one object for both. */
export function duplicateSecrets(stack: Construct): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const secret of stack.node.findAll().filter((c): c is SecretV1 => c instanceof SecretV1)) {
    const { name, namespace } = secret.metadataInput ?? {};
    if (name === undefined || Token.isUnresolved(name) || (namespace !== undefined && Token.isUnresolved(namespace))) continue;
    const key = `${namespace ?? 'default'}/${name}`;
    const other = seen.get(key);
    if (other) errors.push(`Secret ${key} is made twice, by ${other} and ${secret.node.path}; Kubernetes would hold one object for both`);
    else seen.set(key, secret.node.path);
  }
  return errors;
}
