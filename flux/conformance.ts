import { Annotations, IAspect, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { AnyFluxObject } from './api';
import { checkFluxObject } from './crd-rules';
import { formatViolations } from './schema';

/** A construct that delivers Flux objects to the cluster. */
export interface IFluxObjectCarrier extends IConstruct {
  /** Every object the construct will deliver, as it will be synthesized. */
  readonly fluxObjects: readonly AnyFluxObject[];
}

/** Whether a construct delivers Flux objects (has `fluxObjects`). */
export function isCarrier(node: IConstruct): node is IFluxObjectCarrier {
  return Array.isArray((node as Partial<IFluxObjectCarrier>).fluxObjects);
}

/**
 * Checks every Flux object against its CRD's rules at synth and reports each violation as an error
 * annotation, which fails the synth: an object the API server would reject never reaches a plan.
 */
export class FluxConformanceChecker implements IAspect {
  public visit(node: IConstruct): void {
    if (!isCarrier(node)) return;
    const seen = new Set<string>();
    for (const object of node.fluxObjects) {
      const key = `${object?.kind} ${object?.metadata?.namespace}/${object?.metadata?.name}`;
      if (seen.has(key)) Annotations.of(node).addError(`${key} is delivered twice; Flux object names must be unique per kind and namespace`);
      seen.add(key);
      // Only cdktf tokens are unknown here: a literal "${x}" is a value like any other.
      const violations = checkFluxObject(object, { isUnresolved: (s) => Token.isUnresolved(s) });
      if (violations.length === 0) continue;
      const name = `${object?.kind ?? '?'} ${object?.metadata?.namespace ?? '?'}/${object?.metadata?.name ?? '?'}`;
      Annotations.of(node).addError(`${name} would be rejected by its CRD:\n${formatViolations(violations)}`);
    }
  }
}
