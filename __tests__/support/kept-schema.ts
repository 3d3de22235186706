import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Each attribute of a `terraform providers schema -json` block as one line ("required list(string)"),
 * the form in which the tests write down what a provider's source declares.
 */
export function attributesOf(block: { attributes: Record<string, any> }): Record<string, string> {
  const inner = (t: any): string => (Array.isArray(t) ? `${t[0]}(${Object.keys(t[1]).sort().join(', ')})` : t);
  const describe = (a: any): string => {
    const type = Array.isArray(a.type) ? `${a.type[0]}(${inner(a.type[1])})` : a.type;
    return [a.required && 'required', a.optional && 'optional', a.computed && 'computed', a.sensitive && 'sensitive', type].filter(Boolean).join(' ');
  };
  return Object.fromEntries(Object.entries(block.attributes).map(([k, a]) => [k, describe(a)]));
}

/** The providers with a kept schema (providers/<name>/schema.json). */
export function keptProviders(): string[] {
  const dir = path.join(ROOT, 'providers');
  return fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'schema.json'))).sort();
}

/** Runs `npm run generate:providers` on a copy of providers/ and cdktf.json; returns the copy's root. */
export function regenerateProviders(): string {
  const out = tempDir('gen-');
  fs.cpSync(path.join(ROOT, 'providers'), path.join(out, 'providers'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'cdktf.json'), path.join(out, 'cdktf.json'));
  execFileSync(process.execPath, [path.join(out, 'providers', 'generate.js')], { env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, cwd: ROOT, stdio: 'pipe' });
  return out;
}
