// @ts-check
'use strict';
/*
 * jest setup: cdktf checks the Terraform binary's version for every stack with a cloud backend (and a
 * few other constructs) by running `terraform version` in a child process on each synth with
 * validations (cdktf 0.21 lib/validations/validate-binary-version.js, added by lib/backends/cloud-backend.js).
 * Tests that synthesize hundreds of such stacks spent most of their time in that process: 10 of the
 * property test's 26 s. The binary does not change during a test file, so each version command runs
 * once per file and its outcome (the version, or the failure when there is no terraform) is reused:
 * every validation still judges the same output against its own constraint.
 */
let validations;
try {
  validations = require('cdktf/lib/validations/validate-binary-version');
} catch {
  // A test file of a folder without cdktf installed has nothing to speed up.
}
const Check = validations && validations.ValidateBinaryVersion;
if (Check && !Check.prototype.validate.onceByCommand) {
  const childProcess = require('child_process');
  const original = Check.prototype.validate;
  /** versionCommand -> what execSync gave: its output, or the error it threw. */
  const outcomes = new Map();
  const validate = function () {
    const command = this.versionCommand;
    if (!outcomes.has(command)) {
      try {
        outcomes.set(command, { output: childProcess.execSync(command, { stdio: 'pipe' }) });
      } catch (error) {
        outcomes.set(command, { error });
      }
    }
    const outcome = outcomes.get(command);
    // The original, with execSync answering from the one run: its messages and its semver test unchanged.
    const execSync = childProcess.execSync;
    childProcess.execSync = (cmd, options) => {
      if (cmd !== command) return execSync(cmd, options);
      if (outcome.error) throw outcome.error;
      return outcome.output;
    };
    try {
      return original.call(this);
    } finally {
      childProcess.execSync = execSync;
    }
  };
  validate.onceByCommand = true;
  Check.prototype.validate = validate;
}
