/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Heaviest files first, also on a fresh clone (support/sequencer.js).
  testSequencer: '<rootDir>/__tests__/support/sequencer.js',
  // swc strips types without type-checking (npm test runs tsc -b first); ts-jest would compile each file
  // with the type checker and multiply the suite's time.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // cdktf's archiver, loaded on first use instead of in every test file (support/lazy-archiver.js).
  moduleNameMapper: { '^archiver$': '<rootDir>/__tests__/support/lazy-archiver.js' },
  coveragePathIgnorePatterns: ['/node_modules/', '/.gen/', '/__tests__/'],
  // Jest's default leaves a core idle (cores - 1): one worker on a 2-core machine, while much of the
  // suite waits on npm and the disk.
  maxWorkers: '100%',
  // Stack traces left unformatted unless shown; `terraform version` run once per file, not per synth.
  setupFiles: ['<rootDir>/__tests__/support/fast-stack-traces.js', '<rootDir>/__tests__/support/terraform-version-once.js'],
  testTimeout: 30000,
};
