import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig, parseConfigText } from '../config/load';
import { tempDir } from './support/synth';

/**
 * The YAML examples of the README and docs/, as a reader copies them: each must parse, and each whole config
 * (one with a top-level `clusters:`) must load through the config loader with no problem, so the examples
 * cannot rot.
 */
const ROOT = path.join(__dirname, '..');
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

/** Every ```yaml block, fenced at any indent (list items indent theirs), with the line it starts on. */
function yamlBlocks(file: string): { line: string; text: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const blocks: { line: string; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```yaml\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1];
    const end = lines.findIndex((l, j) => j > i && l === `${indent}\`\`\``);
    if (end < 0) throw new Error(`${file}:${i + 1}: a yaml block that is never closed`);
    blocks.push({ line: `${file}:${i + 1}`, text: lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n') });
    i = end;
  }
  return blocks;
}

const blocks = PAGES.flatMap(yamlBlocks);
const wholeConfigs = blocks.filter((b) => /^clusters:/m.test(b.text));

describe('the YAML examples of the README and docs/', () => {
  it('are found: the configuration example with its defaults, and the other whole configs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(wholeConfigs.length).toBeGreaterThanOrEqual(2);
    expect(wholeConfigs.some((b) => /^defaults:/m.test(b.text) && /^ {4}notifications:/m.test(b.text))).toBe(true);
  });

  it.each(blocks.map((b) => [b.line, b]))('%s parses as YAML', (line, block) => {
    expect(() => parseConfigText(block.text, line)).not.toThrow();
  });

  it.each(wholeConfigs.map((b) => [b.line, b]))('%s loads through the config loader with no problem', (line, block) => {
    const file = path.join(tempDir('readme-config-'), `${line.replace(/[^\w.-]/g, '_')}.yaml`);
    fs.writeFileSync(file, block.text);
    let problems = '';
    try {
      expect(loadConfig(file).config.clusters.length).toBeGreaterThan(0);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = e.message;
    }
    expect(problems).toBe('');
  });
});
