// @ts-check
/**
 * cdktf requires `archiver` when it loads (lib/private/fs.js, for zipping a TerraformAsset of type
 * ARCHIVE) and uses it only when it zips one. Loading it (with its streams, glob and lodash) is about
 * 0.3 s of CPU under jest, which loads cdktf afresh in every test file and in every isolateModules run
 * of main.ts, where nothing zips: this project's assets are DIRECTORY assets, copied without it.
 * jest.config.js maps `archiver` here: the same module, loaded on its first use. Only the tests see
 * this; the app and the library load cdktf as it is.
 */
// By its folder: the bare name would be mapped back to this file.
const real = require('path').dirname(require.resolve('archiver/package.json'));
/** @type {any} */
let loaded;
const load = () => (loaded ??= require(/** @type {string} */ (real)));

module.exports = new Proxy(function archiver() {}, {
  apply: (_target, self, args) => load().apply(self, args),
  construct: (_target, args) => new (load())(...args),
  get: (_target, key) => load()[key],
  has: (_target, key) => key in load(),
});
