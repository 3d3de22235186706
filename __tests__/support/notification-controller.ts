/**
 * How notification-controller v1.8.3 (fluxcd/notification-controller tag v1.8.3, commit
 * fc43eff9f55f374cfc313e1773e4e2941fd612d0) turns an event and its Alert and Provider into the values a
 * `commitStatusExpr` sees, restated for the tests that evaluate the project's expressions with a real CEL
 * library. Each behaviour names the file it was read in.
 */
import { plan, parse, isCelError, objectType, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import { Alert, Provider } from '../../flux/api';

/** fluxcd/pkg apis/event v0.24.1 v1beta1/event.go: `Group`. */
const EVENT_GROUP = 'event.toolkit.fluxcd.io';

/**
 * An eventv1.Event (fluxcd/pkg apis/event v0.24.1 v1beta1/event.go) as
 * `runtime.DefaultUnstructuredConverter.ToUnstructured` makes it: JSON field names, `metadata` and
 * `reportingInstance` left out when empty (omitempty), the timestamp as RFC 3339 text (metav1.Time).
 */
export interface EventMap {
  involvedObject: { kind: string; namespace: string; name: string; uid: string; apiVersion: string };
  severity: 'info' | 'error' | 'trace';
  timestamp: string;
  message: string;
  reason: string;
  metadata?: Record<string, string>;
  reportingController: string;
  reportingInstance?: string;
}

/**
 * The success event kustomize-controller emits after applying a revision: its own group's `revision`, and
 * `commit_status: update`, which makes it reach commit-status Providers (the metadata keys are
 * fluxcd/pkg apis/event v0.24.1 v1beta1/metadata.go MetaRevisionKey, MetaCommitStatusKey and
 * MetaCommitStatusUpdateValue; notification-controller internal/server/provider_commit_status.go
 * isCommitStatusUpdate reads `<involved object group>/commit_status`).
 */
export function kustomizationSucceeded(namespace: string, name: string, revision: string, extraMetadata: Record<string, string> = {}): EventMap {
  return {
    involvedObject: { kind: 'Kustomization', namespace, name, uid: '6c1b2f0e-3e8e-4a57-9d41-1f6f0d6b8a10', apiVersion: 'kustomize.toolkit.fluxcd.io/v1' },
    severity: 'info',
    timestamp: '2026-12-05T21:00:00Z',
    message: 'Reconciliation finished in 2.1s, next run in 10m0s',
    reason: 'ReconciliationSucceeded',
    metadata: {
      'kustomize.toolkit.fluxcd.io/revision': revision,
      'kustomize.toolkit.fluxcd.io/commit_status': 'update',
      ...extraMetadata,
    },
    reportingController: 'kustomize-controller',
    reportingInstance: 'kustomize-controller-7d8f9c6b5-x2x4q',
  };
}

/**
 * internal/server/event_handlers.go combineEventMetadata: the event's metadata is rebuilt from, lowest
 * precedence first, (1) keys under `event.toolkit.fluxcd.io/` with the prefix cut, (2) the Alert's
 * `spec.eventMetadata` as they are, (3) `spec.summary` as `summary`, (4) keys under the involved object's API
 * group with the prefix cut; a later source overwrites an earlier one (a conflict is only logged and
 * recorded as a Warning event on the Alert). Every other key is dropped. The metadata is replaced only when
 * the result is not empty. (excludeInternalMetadata has removed `<group>/token` before.)
 */
export function combineEventMetadata(event: EventMap, alert: Alert): EventMap {
  const metadata: Record<string, string> = {};
  const original = event.metadata ?? {};
  for (const [k, v] of Object.entries(original)) if (k.startsWith(`${EVENT_GROUP}/`)) metadata[k.slice(EVENT_GROUP.length + 1)] = v;
  for (const [k, v] of Object.entries(alert.spec.eventMetadata ?? {})) metadata[k] = v;
  if (alert.spec.summary) metadata.summary = alert.spec.summary;
  const objectGroup = `${event.involvedObject.apiVersion.split('/')[0]}/`;
  for (const [k, v] of Object.entries(original)) if (k.startsWith(objectGroup)) metadata[k.slice(objectGroup.length)] = v;
  return Object.keys(metadata).length > 0 ? { ...event, metadata } : event;
}

/** A Flux object as the controller reads it (with the UID the API server gave it), converted to a map. */
function objectMap(o: Alert | Provider, uid: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...o, metadata: { ...o.metadata, uid, generation: 1 } }));
}

// fluxcd/pkg runtime v0.100.4 runtime/cel/expression.go NewExpression: the environment loads CEL's strings
// extension (ext.Strings, with lowerAscii), sets and encoders; WithStructVariables declares each variable as
// google.protobuf.Struct, and notification-controller declares exactly event, alert and provider
// (internal/server/provider_commit_status.go newCommitStatusExpression). Only the strings extension is
// given here: the project's expressions use nothing else, and a function missing here fails the test.
const env = celEnv({ funcs: strings, variables: { event: objectType(StructSchema), alert: objectType(StructSchema), provider: objectType(StructSchema) } });

const programs = new Map<string, ReturnType<typeof compile>>();
const compile = (expr: string) => plan(env, parse(expr));

/**
 * internal/server/provider_commit_status.go newCommitStatus: the expression is evaluated with `event` (after
 * combineEventMetadata, internal/server/event_handlers.go getNotificationParams), `provider` and `alert`, each
 * converted with ToUnstructured, and must give a string (EvaluateString); anything else is an error.
 */
export function evaluateCommitStatusExpr(expr: string, event: EventMap, alert: Alert, provider: Provider): string {
  // The controller compiles an expression once per Provider (newCommitStatusExpression) and evaluates it for
  // each event: the plan is kept per text, as the property tests evaluate the same few texts many times.
  const program = programs.get(expr) ?? programs.set(expr, compile(expr)).get(expr)!;
  const result = program({
    event: combineEventMetadata(event, alert) as never,
    alert: objectMap(alert, '0d6f7a52-1f3b-4c55-8f0e-2c9d7e6a4b31') as never,
    provider: objectMap(provider, '9a4e2b7c-5d1f-4e8a-b3c6-7f2e1d0a9c54') as never,
  });
  if (isCelError(result)) throw new Error(`commitStatusExpr failed: ${result.message}`);
  if (typeof result !== 'string') throw new Error(`commitStatusExpr gave ${typeof result}, not a string`);
  return result;
}
