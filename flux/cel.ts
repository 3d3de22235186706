/**
 * CEL text that Flux parses, checked at synth so that a typo fails the synth, not the Kustomization on the
 * cluster. kustomize-controller parses each of a `healthCheckExprs` entry's `current`, `inProgress` and `failed`
 * without compiling them (fluxcd/pkg runtime v0.100.4 runtime/cel/status_evaluator.go NewStatusEvaluator:
 * "we can't use the options WithCompile ..."), in an environment with CEL's optional syntax on
 * (runtime/cel/expression.go NewExpression: cel.OptionalTypes()). A parse is therefore the check that
 * matches the controller's.
 */

/**
 * The parse of @bufbuild/cel, loaded on first use: configs without CEL never pay for it. Only its parser
 * module is loaded: the package's index also builds the protobuf registry and the standard functions, which
 * the parse does not use (measured on the shared 2-core machine: 250-900 ms for the index against 35-50 ms
 * for parse.js). The package is pinned (package.json) and exports only its index, so the module is found
 * next to the index, and the index serves when the layout ever differs.
 */
let parseCel: ((expr: string) => unknown) | undefined;
function loadParse(): (expr: string) => unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  try {
    const path = require('path') as typeof import('path');
    return (require(path.join(path.dirname(require.resolve('@bufbuild/cel')), 'parse.js')) as typeof import('@bufbuild/cel')).parse;
  } catch {
    return (require('@bufbuild/cel') as typeof import('@bufbuild/cel')).parse;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

// Optional field selection (`a.?b`), optional list and map entries (`[?x]`, `{?k: v}`): cel-go takes them with
// OptionalTypes, @bufbuild/cel 0.6 does not. Outside a string literal `?` only ever follows these or starts the
// branch of a conditional, so a text that parses without these markers parses with them in cel-go too.
const OPTIONAL_MARKER = /([.[{,]\s*)\?/g;

/** Cut string literals (any quoting CEL has) down to `""`, so markers inside them are left alone. */
function withoutStrings(expr: string): string {
  return expr.replace(/[rRbB]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g, '""');
}

// The same texts are parsed again and again (the loader checks each cluster with its defaults merged in,
// the constructs check them again at synth): each text is parsed once, up to a bound on what is kept.
const verdicts = new Map<string, string | undefined>();
const MAX_VERDICTS = 10_000;

/** The parser's message when `expr` is not CEL that Flux can parse; undefined when it parses. */
export function celParseProblem(expr: string): string | undefined {
  if (verdicts.has(expr)) return verdicts.get(expr);
  const problem = parseProblem(expr);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(expr, problem);
  return problem;
}

function parseProblem(expr: string): string | undefined {
  parseCel ??= loadParse();
  const attempt = (text: string): string | undefined => {
    try {
      parseCel!(text);
      return undefined;
    } catch (e) {
      return (e as Error).message.replace(/^<input>:/, '');
    }
  };
  const problem = attempt(expr);
  if (problem === undefined) return undefined;
  const bare = withoutStrings(expr);
  const plain = bare.replace(OPTIONAL_MARKER, '$1');
  return plain !== bare && attempt(plain) === undefined ? undefined : problem;
}
