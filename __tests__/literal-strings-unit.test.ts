import * as fs from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { App, Aspects, Lazy, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { escapeLiterals, escapeTemplateSequences, LiteralStrings } from '../constructs/literal-strings';
import { tempDir } from './support/synth';

// The escape itself, fast and exact (literal-strings.test.ts checks it across the config schema and
// reads it back through Terraform).

describe('escapeTemplateSequences', () => {
  it.each<[string, string]>([
    ['', ''],
    ['no braces $ %', 'no braces $ %'],
    ['{}', '{}'],
    ['${a}${b}', '$${a}$${b}'],
    ['%{a}%{b}', '%%{a}%%{b}'],
    ['$%{x}', '$%%{x}'],
    ['${TfToken[TOKEN.1]}${x}', '${TfToken[TOKEN.1]}$${x}'],
    ['${TfToke', '$${TfToke'],
    ['$ {x} % {y}', '$ {x} % {y}'],
  ])('%j', (text, escaped) => {
    expect(escapeTemplateSequences(text)).toBe(escaped);
  });
});

describe('escapeLiterals', () => {
  it('escapes strings and keys at any depth, leaving other values and tokens as they are', () => {
    const token = Lazy.stringValue({ produce: () => '${x}' });
    const lazyAny = Lazy.anyValue({ produce: () => ({ a: '${x}' }) });
    expect(escapeLiterals({ '${k}': ['${v}', 1, null, true, { n: '%{m}' }], plain: 'a', t: token, l: lazyAny })).toEqual({
      '$${k}': ['$${v}', 1, null, true, { n: '%%{m}' }],
      plain: 'a',
      t: token,
      l: lazyAny,
    });
    expect(escapeLiterals(undefined)).toBeUndefined();
    // Any resolvable, whatever it holds, is cdktf's to resolve.
    const resolvable = { creationStack: [], resolve: () => 'v', text: '${x}' };
    expect(escapeLiterals(resolvable)).toBe(resolvable);
    expect(escapeLiterals([resolvable])).toEqual([resolvable]);
    expect(escapeLiterals(7)).toBe(7);
  });

  it('returns a part with nothing to escape as it is, and copies only what changes', () => {
    const unchanged = { a: ['x', { b: 'y' }], c: 'z' };
    expect(escapeLiterals(unchanged)).toBe(unchanged);
    const list = ['a', '${b}', 'c', { d: 'e' }];
    const out = escapeLiterals(list) as unknown[];
    expect(out).toStrictEqual(['a', '$${b}', 'c', { d: 'e' }]);
    expect(out).not.toBe(list);
    expect(out[3]).toBe(list[3]);
    const object = { a: 'x', b: '${y}', c: { d: 'e' }, f: 'g' };
    const escaped = escapeLiterals(object) as typeof object;
    expect(escaped).toEqual({ a: 'x', b: '$${y}', c: { d: 'e' }, f: 'g' });
    expect(escaped.c).toBe(object.c);
    expect(object).toEqual({ a: 'x', b: '${y}', c: { d: 'e' }, f: 'g' });
  });

  it('leaves a key that would be bare in HCL as it is: the renderer quotes keys itself', () => {
    const value = { '{k}': 'v', '[k]': 'w', '12': 'x' };
    expect(escapeLiterals(value, true)).toBe(value);
    expect(escapeLiterals({ '{k}': '{v}' }, true)).toEqual({ '{k}': '${""}{v}' });
  });

  it('keeps the order of keys, escaping a key whose value is unchanged', () => {
    expect(Object.keys(escapeLiterals({ a: 1, '${b}': 2, c: 3 }) as object)).toEqual(['a', '$${b}', 'c']);
  });
});

describe('LiteralStrings', () => {
  const build = (app: App) => {
    const stack = new TerraformStack(app, 's');
    LiteralStrings.of(stack);
    new NullProvider(stack, 'null');
    const variable = new TerraformVariable(stack, 'v', { type: 'string' });
    new Resource(stack, 'r', { triggers: { '${k}': '${file("/proc/self/environ")}', cond: '%{ if true }x%{ endif }', ref: variable.stringValue } });
    new Resource(stack, 'q', { triggers: { close: 'a", x = file("/proc/self/environ"), b = "', bare: '{ a = file("/etc/hostname") }', lines: 'a\nEOF\nb\\', cr: 'a\rb', 'k"ey': 'v', n: '123', n2: '0123' } });
    new TerraformOutput(stack, 'o', { value: '${path.module}' });
    return stack;
  };

  it('escapes the JSON synth of resources and outputs once, references left live', () => {
    const stack = build(new App({ outdir: '/nonexistent' }));
    // Visited again (a second synth, a second aspect run): escaped once, not twice.
    new LiteralStrings().visit(stack.node.findChild('r'));
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.null_resource.r.triggers).toEqual({ '$${k}': '$${file("/proc/self/environ")}', cond: '%%{ if true }x%%{ endif }', ref: '${var.v}' });
    expect(json.output.o.value).toBe('$${path.module}');
    expect(JSON.parse(Testing.synth(stack)).resource.null_resource.r.triggers['$${k}']).toBe('$${file("/proc/self/environ")}');
  });

  it('adds no aspect below a scope that has one, and none twice to a scope', () => {
    // Each more aspect is one more visit of every construct below it at synth (cdktf computes each
    // construct's path for each aspect): the cost the once-only rule saves.
    const aspects = (scope: IConstruct) => Aspects.of(scope).all.filter((a) => a instanceof LiteralStrings).length;
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    const inner = new Construct(stack, 'inner');
    const leaf = new Construct(inner, 'leaf');
    const other = new Construct(app, 'other');
    LiteralStrings.of(inner);
    LiteralStrings.of(leaf);
    LiteralStrings.of(inner);
    LiteralStrings.of(stack);
    LiteralStrings.of(other);
    expect([stack, inner, leaf, other].map(aspects)).toEqual([1, 1, 0, 1]);
  });

  it('escapes `cdktf synth --hcl` output (hclOutput) as well', () => {
    const outdir = tempDir('cdktf.out.');
    // What `cdktf synth --hcl` sets: the stack reads it when it is made (cdktf lib/terraform-stack.js).
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir, hclOutput: true });
      build(app);
      app.synth();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
    const hcl = fs.readFileSync(path.join(outdir, 'stacks', 's', 'cdk.tf'), 'utf8');
    expect(hcl).toContain('"$${k}" = "$${file(\\"/proc/self/environ\\")}"');
    // A value that closes its string and adds an expression, one that is an expression as it stands,
    // and one with a heredoc end line: each stays one quoted string.
    expect(hcl).toContain('close = "a\\", x = file(\\"/proc/self/environ\\"), b = \\""');
    expect(hcl).toContain('bare = "${\"\"}{ a = file(\\"/etc/hostname\\") }"');
    expect(hcl).toContain('lines = "a\\nEOF\\nb\\\\"');
    expect(hcl).toContain('cr = "a\\rb"');
    expect(hcl).toContain('"k\\"ey" = "v"');
    // An integer text would be written as a number.
    expect(hcl).toContain('n = "${\"\"}123"');
    expect(hcl).toContain('n2 = "0123"');
    expect(hcl).toContain('cond = "%%{ if true }x%%{ endif }"');
    expect(hcl).toContain('ref = "${var.v}"');
    expect(hcl).toContain('value = "$${path.module}"');
    expect(hcl).not.toMatch(/[^$]\$\{file/);
  });
});
