import { Aspects, IAspect, TerraformElement, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Terraform reads every string of its configuration as a template: a `${...}` or `%{...}` in a value
 * is evaluated (`${file("/proc/self/environ")}` reads the deploy machine's environment). cdktf writes
 * literal strings as they are. This writes `${` as `$${` and `%{` as `%%{`, Terraform's escapes for
 * the literal text. cdktf's own token markers (`${TfToken[...]}`) are left for cdktf to resolve: they
 * are how the project writes references, and config files cannot hold them (config/data.ts).
 */
export function escapeTemplateSequences(text: string): string {
  if (!text.includes('{')) return text;
  // Replacer functions: in a replacement string, "$$" would itself mean "$".
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * `text` escaped for cdktf's HCL output (`cdktf synth --hcl`), whose renderer guesses at expressions
 * (cdktf lib/hcl/render.js): it writes a string holding `${` (every escaped one does) between quotes
 * without escaping its quotes, a key with none escaped, one starting with `[` or `{` bare (as an
 * expression) and one with a line break as a heredoc a line `EOF` ends. So a config value could close
 * its string and add an expression (`a", x = file("/proc/self/environ"), b = "`). Here the string's
 * own escapes are written first (`\\`, `\"`, `\n`, `\r`), which the renderer leaves as they are, and a
 * value starting with `[` or `{` (or an integer, which it writes as a number) gets an empty
 * interpolation in front, which makes the renderer quote it.
 */
export function escapeHclString(text: string, isKey = false): string {
  const out = escapeTemplateSequences(text).replace(/[\\"\n\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' })[c]!);
  const bare = /^[[{]/.test(out) || String(parseInt(out, 10)) === out;
  return !isKey && bare ? `\${""}${out}` : out;
}

/**
 * `value` with every literal string and object key escaped; tokens (resolvable objects) untouched.
 * A part with nothing to escape is returned as it is, not copied: synth memory stays what it was.
 * `hcl`: escaped for cdktf's HCL output instead of its JSON (escapeHclString).
 */
export function escapeLiterals(value: unknown, hcl = false): unknown {
  if (typeof value === 'string') return hcl ? escapeHclString(value) : escapeTemplateSequences(value);
  if (typeof value !== 'object' || value === null) return value;
  // cdktf calls toTerraform twice per element (prepareStack, then the JSON): nothing is allocated
  // until the first part that changes.
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = escapeLiterals(value[i], hcl);
      if (out === undefined && v !== value[i]) out = value.slice(0, i);
      if (out !== undefined) out.push(v);
    }
    return out ?? value;
  }
  if (Tokenization.isResolvable(value)) return value;
  const entries = Object.entries(value);
  let out: [string, unknown][] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i];
    const ek = hcl ? escapeHclString(k, true) : escapeTemplateSequences(k);
    const ev = escapeLiterals(v, hcl);
    if (out === undefined && (ek !== k || ev !== v)) out = entries.slice(0, i);
    if (out !== undefined) out.push([ek, ev]);
  }
  return out ? Object.fromEntries(out) : value;
}

const escaped = new WeakSet<TerraformElement>();

/**
 * The one place where text becomes Terraform configuration safely: every Terraform element below
 * the scope it is added to (FluxGitOpsStack adds it to itself, so fields added later are covered) (resources, data sources, providers, outputs, variables, locals, the
 * backend) synthesizes its literal strings and keys escaped, whatever field or construct they came
 * from. So a value of the config file (or any prop) is always text, never an expression; the project
 * writes expressions only as cdktf tokens (references, `Fn.*`, `TerraformSelf`), which stay live.
 *
 * A `Lazy` value is opaque here until it is resolved: a construct must not hide data in one (the Flux
 * objects release sets its values at synth, in an aspect, for that reason).
 */
export class LiteralStrings implements IAspect {
  private static readonly scopes = new WeakSet<IConstruct>();

  /**
   * Adds the aspect to `scope`, once: every construct of this package calls it on itself, and the
   * stack of the app on itself. Not on a library user's whole stack: a resource of theirs may hold a
   * raw `${...}` they mean as an expression.
   */
  public static of(scope: IConstruct): void {
    // An aspect on a scope visits everything below it, whenever added: one on the nearest covered
    // scope is enough. Each more one was a visit of every construct below it (cdktf computes the
    // construct's path for each aspect of each construct).
    if (scope.node.scopes.some((s) => LiteralStrings.scopes.has(s))) return;
    LiteralStrings.scopes.add(scope);
    Aspects.of(scope).add(new LiteralStrings());
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformElement) || escaped.has(node)) return;
    escaped.add(node);
    const toTerraform = node.toTerraform.bind(node);
    const toHclTerraform = node.toHclTerraform.bind(node);
    node.toTerraform = () => escapeLiterals(toTerraform());
    node.toHclTerraform = () => escapeLiterals(toHclTerraform(), true);
  }
}
