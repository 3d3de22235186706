import { Annotations, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { Bucket, GitRepository, Kustomization, OCIRepository, Provider } from './api';
import { isCarrier } from './conformance';

/**
 * The checks one construct cannot make alone, because they need the rest of the stack: each finding
 * is an error annotation on the construct at fault (its path is in the message), which fails the
 * synth, unless acknowledged on purpose with {@link FluxStackChecks.acknowledge}, as cdk-nag's
 * suppressions are. FluxObjectsRelease and FluxInstall put these checks on their stack.
 */
export const FLUX_STACK_RULES = {
  'FLUX-GIT-SSH-SECRET': 'a GitRepository over ssh:// needs secretRef: source-controller has no other way to get a key and known_hosts',
  'FLUX-GIT-HTTPS-CREDENTIALS':
    'a GitRepository on Azure Repos over https:// needs secretRef or provider azure: Azure DevOps serves private projects only with credentials (acknowledge it for a public project)',
  'FLUX-DEPENDS-ON': 'a Kustomization dependsOn must name a Kustomization of the stack: Flux waits for a missing one forever',
  'FLUX-INSTALL-TWICE': 'two Flux installs with the same release name and namespace in one stack fight over the same Helm release',
  'FLUX-AZURE-DEVOPS-HOSTKEY-ALGOS':
    'a GitRepository on ssh.dev.azure.com needs --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256 on source-controller: Azure DevOps offers only RSA host keys with SHA-2 signatures',
  'FLUX-SOPS-IDENTITY':
    'a Kustomization decrypting with SOPS and no secretRef uses kustomize-controller\'s own identity: the Flux install needs kustomizeControllerWorkloadIdentity (Azure Key Vault)',
  'FLUX-SOURCE-IDENTITY':
    'an OCIRepository or Bucket with provider azure logs in as source-controller: the Flux install needs sourceControllerWorkloadIdentity',
  'FLUX-CONTROLLER-OFF': 'a Flux object is reconciled only by its controller: the Flux install must run it (components)',
  'FLUX-COMMIT-STATUS-NAME':
    'an azuredevops Provider needs commitStatusExpr (FluxAlert writer): without it notification-controller names each status <kind>/<name>/<Provider UID prefix>, which says nothing of the cluster',
} as const;
/** The id of a rule FluxStackChecks applies (FLUX_STACK_RULES). */
export type FluxStackRule = keyof typeof FLUX_STACK_RULES;

/** What the checks read of a Flux install (FluxInstall has these). */
export interface IFluxInstallFacts extends IConstruct {
  readonly releaseName: string;
  readonly namespace: string;
  readonly sourceControllerArgs: readonly string[];
  readonly hasSourceControllerIdentity: boolean;
  readonly hasKustomizeControllerIdentity: boolean;
  /** The controllers it runs (FluxInstall's components); absent: all of them, as far as the checks know. */
  readonly components?: { readonly [component in FluxComponent]?: boolean };
}

/** The components of a Flux install, as FluxInstall names them. */
export type FluxComponent = 'source' | 'kustomize' | 'helm' | 'notification' | 'imageAutomation';
/** Which component reconciles each kind (the Flux controllers' CRDs, by API group). */
const CONTROLLER_OF_KIND: { readonly [kind: string]: FluxComponent } = {
  GitRepository: 'source',
  OCIRepository: 'source',
  Bucket: 'source',
  HelmRepository: 'source',
  HelmChart: 'source',
  Kustomization: 'kustomize',
  HelmRelease: 'helm',
  Alert: 'notification',
  Provider: 'notification',
  Receiver: 'notification',
  ImageRepository: 'imageAutomation',
  ImagePolicy: 'imageAutomation',
  ImageUpdateAutomation: 'imageAutomation',
};

const acknowledged = new WeakMap<IConstruct, Map<string, string>>();
const checkedStacks = new WeakSet<TerraformStack>();

function isInstall(node: IConstruct): node is IFluxInstallFacts {
  const n = node as Partial<IFluxInstallFacts>;
  return typeof n.releaseName === 'string' && Array.isArray(n.sourceControllerArgs) && typeof n.hasKustomizeControllerIdentity === 'boolean';
}

/** The acknowledgement of `rule` on `node` or one of its scopes, if any. */
function acknowledgement(node: IConstruct, rule: FluxStackRule): string | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    const reason = acknowledged.get(scope)?.get(rule);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function gitUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const isAzureDevOpsHttpsHost = (host: string): boolean => host === 'dev.azure.com' || host.endsWith('.visualstudio.com');

/** Cross-construct checks of the Flux objects and installs of one stack. */
export class FluxStackChecks implements IAspect {
  /**
   * Accepts the findings of `rule` on `scope` and everything under it, on purpose: they are reported
   * as info, with `reason`, instead of failing the synth.
   */
  public static acknowledge(scope: IConstruct, rule: FluxStackRule, reason: string): void {
    if (!Object.prototype.hasOwnProperty.call(FLUX_STACK_RULES, rule)) {
      throw new Error(`FluxStackChecks.acknowledge ${scope.node.path}: rule ${JSON.stringify(rule)} is not valid; use one of ${Object.keys(FLUX_STACK_RULES).join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`FluxStackChecks.acknowledge ${scope.node.path}: reason ${JSON.stringify(reason)} is not valid; say why the finding is accepted`);
    }
    const rules = acknowledged.get(scope) ?? new Map<string, string>();
    rules.set(rule, reason);
    acknowledged.set(scope, rules);
  }

  /** Puts the checks on the stack of `scope`, once. */
  public static addTo(scope: IConstruct): void {
    const stack = TerraformStack.of(scope);
    if (checkedStacks.has(stack)) return;
    checkedStacks.add(stack);
    Aspects.of(stack).add(new FluxStackChecks());
  }

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const all = node.node.findAll();
    const installs = all.filter(isInstall);
    const carriers = all.filter(isCarrier);
    const objects = carriers.flatMap((c) => c.fluxObjects.map((object) => ({ object, carrier: c as IConstruct })));

    // Each object is reported on the construct that made it (a FluxGitSync, FluxKustomization...),
    // or on its release when it was added directly.
    const delivered = new Set<unknown>(objects.map(({ object }) => object));
    const owners = new Map<unknown, IConstruct>();
    for (const c of all) {
      for (const value of Object.values(c)) if (delivered.has(value) && !owners.has(value)) owners.set(value, c);
    }
    const report = (at: IConstruct, rule: FluxStackRule, finding: string): void => {
      const reason = acknowledgement(at, rule);
      // cdktf prefixes each annotation with the construct path.
      const text = `[${rule}] ${finding} (${FLUX_STACK_RULES[rule]})`;
      if (reason !== undefined) Annotations.of(at).addInfo(`${text}; acknowledged: ${reason}`);
      else Annotations.of(at).addError(text);
    };

    const seenInstalls = new Map<string, IFluxInstallFacts>();
    for (const install of installs) {
      const key = `${install.namespace}/${install.releaseName}`;
      const first = seenInstalls.get(key);
      if (first) report(install, 'FLUX-INSTALL-TWICE', `release ${key} is also installed by ${first.node.path}`);
      else seenInstalls.set(key, install);
    }

    const kustomizations = new Set(
      objects.filter(({ object }) => object.kind === 'Kustomization').map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`),
    );
    for (const { object, carrier } of objects) {
      const at = owners.get(object) ?? carrier;
      const name = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
      const controller = CONTROLLER_OF_KIND[object.kind];
      if (controller && installs.length > 0 && installs.every((i) => i.components?.[controller] === false)) {
        report(at, 'FLUX-CONTROLLER-OFF', `${name} is delivered but no Flux install of the stack runs components.${controller}`);
      }
      if (object.kind === 'GitRepository' && (object as GitRepository).spec) {
        const spec = (object as GitRepository).spec;
        const url = gitUrl(spec.url);
        if (url?.protocol === 'ssh:' && !spec.secretRef) report(at, 'FLUX-GIT-SSH-SECRET', `${name} fetches ${spec.url} with no secretRef`);
        if (url?.protocol === 'https:' && isAzureDevOpsHttpsHost(url.hostname) && !spec.secretRef && spec.provider !== 'azure') {
          report(at, 'FLUX-GIT-HTTPS-CREDENTIALS', `${name} fetches ${spec.url} with no secretRef and no provider azure`);
        }
        if (url?.protocol === 'ssh:' && url.hostname === 'ssh.dev.azure.com' && installs.length > 0) {
          if (!installs.some((i) => i.sourceControllerArgs.some((a) => /^--ssh-hostkey-algos=.*rsa-sha2-(512|256)/.test(a)))) {
            report(at, 'FLUX-AZURE-DEVOPS-HOSTKEY-ALGOS', `${name} is on ssh.dev.azure.com and no Flux install of the stack passes --ssh-hostkey-algos`);
          }
        }
      }
      if (object.kind === 'Kustomization' && (object as Kustomization).spec) {
        const spec = (object as Kustomization).spec;
        for (const dep of spec.dependsOn ?? []) {
          const key = `${dep.namespace ?? object.metadata.namespace}/${dep.name}`;
          if (!kustomizations.has(key)) report(at, 'FLUX-DEPENDS-ON', `${name} depends on ${key}, which no construct of the stack delivers`);
        }
        if (spec.decryption && !spec.decryption.secretRef && installs.length > 0 && !installs.some((i) => i.hasKustomizeControllerIdentity)) {
          report(at, 'FLUX-SOPS-IDENTITY', `${name} decrypts with no secretRef and no Flux install of the stack gives kustomize-controller a workload identity`);
        }
      }
      // A Provider added as a plain object skips FluxAlert's writer check; the fleet reader could not attribute its statuses.
      if (object.kind === 'Provider' && (object as Provider).spec?.type === 'azuredevops' && !(object as Provider).spec.commitStatusExpr) {
        report(at, 'FLUX-COMMIT-STATUS-NAME', `${name} has no commitStatusExpr`);
      }
      if ((object.kind === 'OCIRepository' || object.kind === 'Bucket') && (object as OCIRepository | Bucket).spec?.provider === 'azure') {
        if (installs.length > 0 && !installs.some((i) => i.hasSourceControllerIdentity)) {
          report(at, 'FLUX-SOURCE-IDENTITY', `${name} has provider azure and no Flux install of the stack gives source-controller a workload identity`);
        }
      }
    }
  }
}
