/**
 * The jest setup file support/terraform-version-once.js: cdktf's binary version check runs each version
 * command once per test file, and every check still judges that output by its own constraint.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { tempDir } from './support/synth';

describe("cdktf's binary version check under jest", () => {
  it('runs each version command once and judges its output by each constraint', () => {
    const runs = path.join(tempDir(), 'runs');
    const command = `echo run >> '${runs}' && echo 'Tool v1.7.2'`;
    const check = (constraint: string) => new ValidateBinaryVersion('tool', constraint, command, 'upgrade it').validate();
    expect([check('>=1.5'), check('>=1.8'), check('>=1.5')]).toEqual([[], ['tool version 1.7.2 is lower than the required version >=1.8 for this construct. upgrade it'], []]);
    expect(fs.readFileSync(runs, 'utf8')).toBe('run\n');
  });

  it('still fails every check when the command fails (no terraform on PATH)', () => {
    const command = 'exit 3';
    const [first, second] = [0, 1].map(() => new ValidateBinaryVersion('terraform', '>=1.1', command).validate());
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^Could not determine version of terraform, exit 3 failed: Error: Command failed: exit 3/);
    expect(second).toEqual(first);
  });
});
