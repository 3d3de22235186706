// @ts-check
/**
 * Equivalent mutants: changes no behaviour can show (only the time taken), excluded here instead of
 * with `// Stryker disable` comments in the source. An entry names the file and the exact source text
 * of one node; Stryker's ignorer API (@stryker-mutator/api/ignore) ignores every mutant of that node
 * and of the nodes inside it, whatever the mutator: so each entry names the smallest node whose
 * mutants are all equivalent, and `mutants` lists them (mutator and replacement), which
 * __tests__/stryker-equivalent.test.ts checks by instrumenting the file. `code` must occur once in the
 * file, or once in `within`, a longer text that occurs once in the file: the ignorer fails the run
 * when it does not, so an edit cannot silently move an exclusion.
 */
import path from 'node:path';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

/** @type {{ file: string, code: string, within?: string, mutants: string[], reason: string }[]} */
export const equivalents = [
  {
    file: 'config/data.ts',
    code: '[]',
    within: '?? []).length >= 2',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'secretShape: one element or none, the count of digits stays below 2 either way.',
  },
  {
    file: 'config/data.ts',
    code: 'text.slice(0, 1000)',
    mutants: ['MethodExpression text'],
    reason: 'bounds the work only: the first 100 characters shown are the same either way.',
  },
  {
    file: 'config/data.ts',
    code: '[]',
    within: '= [];\n  for (let i = 0; i < text.length; i++) {',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'duplicateJsonKey: a bottom frame without keys changes nothing; each } or ] pops the frame its { or [ pushed.',
  },
  {
    file: 'config/data.ts',
    code: '{ keys: undefined, expectKey: false }',
    mutants: ['ObjectLiteral {}', 'BooleanLiteral true'],
    reason: 'duplicateJsonKey: an array has no keys, and expectKey is read only where there are keys.',
  },
  {
    file: 'constructs/literal-strings.ts',
    code: "text.includes('{')",
    mutants: ['StringLiteral ""'],
    reason: 'a fast path only: includes("") is true, so every text takes the replaces, which find nothing without "{".',
  },
  {
    file: 'constructs/known-hosts.ts',
    code: '/=+$/',
    mutants: ['Regex /=+/', 'Regex /=$/'],
    reason: 'a SHA-256 digest is 32 bytes: its base64 ends in exactly one "=" and holds no other.',
  },
  {
    file: 'constructs/known-hosts.ts',
    code: 'fields[0]?.startsWith',
    mutants: ['OptionalChaining fields[0].startsWith'],
    reason: 'split() returns at least one field, so fields[0] is never undefined.',
  },
  {
    file: 'cli/doctor.ts',
    code: "'timed out'",
    mutants: ['StringLiteral ""'],
    reason: 'a timeout is reported by its code, ETIMEDOUT (unreachable); the message is never shown.',
  },
  {
    file: 'flux/commit-status.ts',
    code: 'parts.slice(2)',
    mutants: ['MethodExpression parts'],
    reason: 'parts 0 and 1 were just found to be "fleet" and a number: neither is empty.',
  },
  {
    file: 'cli/doctor.ts',
    code: "'failed'",
    within: "resolve({ status: 'failed', reason: 'not a URL' })",
    mutants: ['StringLiteral ""'],
    reason: "probeApiServer's caller reports every status but answered and unreachable as a FAIL, whatever its name.",
  },
  {
    file: 'cli/doctor.ts',
    code: "'failed'",
    within: "else resolve({ status: 'failed', reason:",
    mutants: ['StringLiteral ""'],
    reason: "probeApiServer's caller reports every status but answered and unreachable as a FAIL, whatever its name.",
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: 'of perCommit.get(i) ?? []',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'windowOf: a string element has no state, so the first success stays as it was.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: 'ado?.sources ?? []) if',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'Azure DevOps not read: a string element has no error === null, so no window is made.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: '(ado?.sources ?? []).filter',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'sourceError is read only when Azure DevOps was read.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: '(readings ?? []).map',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'clusters not read: a reading keyed by no cluster name is never looked up.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: '?.history ?? []',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'a string entry has no revision: its position is null and flatMap drops it.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: '[{ p, at: time(h.firstReconciled) }] : []',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'a string entry has no p: h.p <= target is false, so liveSince skips it.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: 'parsedTimes.clear();',
    mutants: ['CallExpression ;'],
    reason: 'frees the cache of parsed times only: a string parses to the same time in the next snapshot.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: "''",
    within: "(genre ?? '')",
    mutants: ['StringLiteral "Stryker was here!"'],
    reason: 'isFluxGenre: a genre of null matches neither "" nor "Stryker was here!" as fluxcd:<summary>.',
  },
  {
    file: 'fleet-status/compute.ts',
    code: '[]',
    within: 'repoKey}`) ?? []) {',
    mutants: ['ArrayDeclaration ["Stryker was here"]'],
    reason: 'liveSince runs only for a cluster with a Kustomization of the repository, which has followers there.',
  },
];

export const ignorerName = 'equivalent-mutants';

class EquivalentMutantsIgnorer {
  /** @type {Map<string, { start: number, end: number, reason: string }[]>} */
  #spans = new Map();

  /** @param {any} nodePath a Babel NodePath (the API types it as an empty interface) */
  shouldIgnore(nodePath) {
    // Stryker traverses a Babel File, whose hub knows the file's name and text.
    const fileName = nodePath.hub?.file?.opts?.filename;
    const { node } = nodePath;
    if (typeof fileName !== 'string' || typeof node.start !== 'number') return undefined;
    let spans = this.#spans.get(fileName);
    if (!spans) {
      spans = spansIn(fileName, nodePath.hub.getCode());
      this.#spans.set(fileName, spans);
    }
    return spans.find((s) => s.start === node.start && s.end === node.end)?.reason;
  }
}

/**
 * Where each entry for `fileName` sits in `content` (character offsets, as Babel's node.start/end).
 * @param {string} fileName
 * @param {string} content
 * @param {typeof equivalents} table
 */
export function spansIn(fileName, content, table = equivalents) {
  const relative = path.relative(process.cwd(), fileName).split(path.sep).join('/');
  return table
    .filter((e) => e.file === relative)
    .map((e) => {
      const at = once(content, e.within ?? e.code, `${e.file}`);
      const start = e.within === undefined ? at : at + once(e.within, e.code, `${JSON.stringify(e.within)}`);
      return { start, end: start + e.code.length, reason: e.reason };
    });
}

/** Where `text` occurs in `content`, which must hold it exactly once. */
function once(content, text, where) {
  const at = content.indexOf(text);
  if (at < 0 || content.indexOf(text, at + 1) >= 0) {
    throw new Error(
      `stryker.equivalent.mjs: ${JSON.stringify(text)} occurs ${at < 0 ? 'nowhere' : 'more than once'} in ${where}; ` +
        'make the entry name exactly one node again',
    );
  }
  return at;
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, ignorerName, EquivalentMutantsIgnorer)];
export { EquivalentMutantsIgnorer };
