// @ts-check
'use strict';
/*
 * jest moduleNameMapper target for `archiver`: cdktf 0.21 requires archiver at load time
 * (cdktf/lib/private/fs.js, for TerraformAsset's ARCHIVE type) and so does every test file that loads
 * cdktf, again in each jest.isolateModules run of main.ts: archiver with its streams, glob and lodash
 * modules is ~0.3 s CPU per load under jest. This project's assets are DIRECTORY assets, which cdktf
 * copies without archiver; a call, should one come, gets the real archiver, loaded then.
 * The path is not the bare name `archiver`, which the mapper would send back here.
 */
/** @type {any} */
let real;
/** @param {...any} args */
module.exports = (...args) => {
  real ??= require('archiver/index.js');
  return real(...args);
};
