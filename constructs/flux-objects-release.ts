import { Aspects, ITerraformDependable, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { AnyFluxObject } from '../flux/api';
import { FluxConformanceChecker, IFluxObjectCarrier } from '../flux/conformance';
import { FluxStackChecks } from '../flux/stack-checks';
import { isDnsLabel, isReservedNamespace } from '../flux/formats';
import { helmValuesJson } from './helm-values';
import { escapeTemplateSequences, LiteralStrings } from './literal-strings';
import { FLUX_OBJECTS_CHART_FILE, PackageAssets } from './package-assets';


/** Props of {@link FluxObjectsRelease}. */
export interface FluxObjectsReleaseProps {
  /** Namespace of the Helm release (its bookkeeping Secret); each object names its own namespace. */
  readonly namespace: string;
  /**
   * Helm release name; one release per namespace may carry it.
   * @default 'flux-objects'
   */
  readonly releaseName?: string;
  /**
   * What must exist before the objects are applied: at least the Flux install (its CRDs), and any
   * Secret or service the objects point at.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Seconds Helm waits for the release.
   * @default 300
   */
  readonly timeoutSeconds?: number;
}

/** A cdktf string token marker, as it stands in text. */
const TOKEN_MARKER = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * The values text, its references resolved. cdktf resolves a string holding a token by splitting it
 * at every "}" and searching the rest of the string for "${" at each one, so the JSON of 5,000
 * Kustomizations and one looked-up repository URL took 20 s, and 20,000 minutes (cdktf
 * lib/tokens/private/encoding.js, TokenString.split and nextEscapeToken). Text without a token goes
 * as it is (LiteralStrings escapes it); text with one is escaped here, by the same function, and its
 * few tokens resolved one by one, each alone: the result holds no marker for cdktf to split at.
 */
function valuesText(json: string): string {
  if (!json.includes('TfToken[')) return json;
  return Lazy.stringValue({
    produce: (context) => escapeTemplateSequences(json).replace(TOKEN_MARKER, (marker) => String(context.resolve(marker))),
  });
}

/**
 * Delivers Flux objects (GitRepository, OCIRepository, Bucket, Kustomization, Alert, Provider, Receiver,
 * and any other Flux kind a library user adds) as a Helm release of
 * a small chart this package ships, ordered after the Flux install.
 *
 * Why not `kubernetes_manifest`: it needs the CRD to exist at plan time, so a fresh cluster cannot get
 * Flux and its objects in one `cdktf deploy` (hashicorp/terraform-provider-kubernetes#1367). A Helm
 * release is resolved at apply time, after the install it depends on. The objects are kept as typed
 * data and synthesized as JSON in the release's `values`, where tests and the conformance check read them.
 */
export class FluxObjectsRelease extends Construct implements IFluxObjectCarrier {
  public readonly release: Release;
  public readonly namespace: string;
  public readonly releaseName: string;
  private readonly objects: (AnyFluxObject | (() => AnyFluxObject))[] = [];
  /** Kind, namespace and name of each object added: a lookup per add, where a scan of the list made 20,000 Kustomizations quadratic. */
  private readonly keys = new Set<string>();
  private readonly added: AnyFluxObject[] = [];

  constructor(scope: Construct, id: string, props: FluxObjectsReleaseProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxObjectsRelease ${this.node.path}`;
    if (!isDnsLabel(props.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(props.namespace)} is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)`);
    }
    if (isReservedNamespace(props.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(props.namespace)} is not valid; use the Flux namespace, not default or a kube-* namespace`);
    }
    this.namespace = props.namespace;
    this.releaseName = props.releaseName ?? 'flux-objects';

    this.release = new Release(this, 'release', {
      name: this.releaseName,
      namespace: this.namespace,
      // The chart this package ships (charts/flux-objects, packaged): it renders the `objects` value,
      // one document per object. The path is relative to the stack's folder, where Terraform runs.
      chart: PackageAssets.of(this).pathOf(FLUX_OBJECTS_CHART_FILE),
      // Set at synth (the aspect below), not through a Lazy: LiteralStrings must see the text to escape it.
      values: [],
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      timeout: props.timeoutSeconds ?? 300,
      atomic: true,
    });
    // Deferred objects (Alerts listing every source) are complete once every construct is added.
    Aspects.of(this).add({ visit: (node) => node === this && (this.release.values = [valuesText(helmValuesJson({ objects: this.fluxObjects }))]) });
    Aspects.of(this).add(new FluxConformanceChecker());
    FluxStackChecks.addTo(this);
  }

  /** Every object this release delivers, in the order added (deferred objects built now). */
  public get fluxObjects(): readonly AnyFluxObject[] {
    return this.objects.map((o) => (typeof o === 'function' ? o() : o));
  }

  /** The objects added with `add`, without building the deferred ones. */
  public get addedObjects(): readonly AnyFluxObject[] {
    return this.added;
  }

  /**
   * Adds objects: those this project emits (typed as `FluxObject`) or any other Flux object
   * (`CustomFluxObject`: HelmRepository, HelmRelease, image automation kinds...). Kinds whose CRD rules
   * are restated (flux/crd-rules.ts) are checked against them at synth; the others by their metadata
   * and API group. An object with the kind, namespace and name of one already added is an error.
   */
  public add(...objects: AnyFluxObject[]): void {
    for (const object of objects) {
      const key = JSON.stringify([object.kind, object.metadata.namespace, object.metadata.name]);
      if (this.keys.has(key)) {
        throw new Error(`FluxObjectsRelease ${this.node.path}: ${object.kind} ${object.metadata.namespace}/${object.metadata.name} is added twice; Flux object names must be unique per kind and namespace`);
      }
      this.keys.add(key);
      this.added.push(object);
      this.objects.push(object);
    }
  }

  /**
   * Adds an object built at synth, after every construct has been added: for objects that list
   * others (an Alert on every source). It may read `addedObjects`, not `fluxObjects`.
   */
  public addDeferred(build: () => AnyFluxObject): void {
    this.objects.push(build);
  }
}
