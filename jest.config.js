/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without type-checking (npm test runs tsc first); ts-jest would compile each file
  // with the type checker and multiply the suite's time.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  coveragePathIgnorePatterns: ['/node_modules/', '/.gen/', '/__tests__/'],
  testTimeout: 30000,
};
