import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig, parseConfigText } from '../config/load';
import { tempDir } from './support/synth';

/**
 * The README's YAML examples, as a reader copies them: each must parse, and each whole config (one with a
 * top-level `clusters:`) must load through the config loader with no problem, so the examples cannot rot.
 */
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** Every ```yaml block, fenced at any indent (list items indent theirs), with the line it starts on. */
function yamlBlocks(text: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```yaml\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1];
    const end = lines.findIndex((l, j) => j > i && l === `${indent}\`\`\``);
    if (end < 0) throw new Error(`README.md:${i + 1}: a yaml block that is never closed`);
    blocks.push({ line: i + 1, text: lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n') });
    i = end;
  }
  return blocks;
}

const blocks = yamlBlocks(README);
const wholeConfigs = blocks.filter((b) => /^clusters:/m.test(b.text));

describe("the README's YAML examples", () => {
  it('are found: the configuration example with its defaults, and the other whole configs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(wholeConfigs.length).toBeGreaterThanOrEqual(2);
    expect(wholeConfigs.some((b) => /^defaults:/m.test(b.text) && /^ {4}notifications:/m.test(b.text))).toBe(true);
  });

  it.each(blocks.map((b) => [b.line, b]))('README.md:%i parses as YAML', (line, block) => {
    expect(() => parseConfigText(block.text, `README.md:${line}`)).not.toThrow();
  });

  it.each(wholeConfigs.map((b) => [b.line, b]))('README.md:%i loads through the config loader with no problem', (line, block) => {
    const file = path.join(tempDir('readme-config-'), `readme-${line}.yaml`);
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
