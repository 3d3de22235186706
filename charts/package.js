#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Packages charts/flux-objects into assets/flux-objects-<version>.tgz, the form `helm package` makes
 * (a gzipped ustar archive whose entries sit under a folder named after the chart). Stacks ship the
 * one archive instead of copying the chart folder into every stack: a directory asset costs far more
 * per stack (bench/README.md). Deterministic: same sources, same bytes. Run: npm run package:chart.
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const CHART_DIR = path.join(__dirname, 'flux-objects');

/** @param {string} dir @returns {string[]} paths relative to dir, sorted */
function filesOf(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesOf(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

/** A ustar header block for a regular file. @param {string} name @param {number} size */
function header(name, size) {
  const block = Buffer.alloc(512);
  const put = (/** @type {string} */ text, /** @type {number} */ offset, /** @type {number} */ length) => block.write(text, offset, length, 'latin1');
  const octal = (/** @type {number} */ n, /** @type {number} */ length) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  if (Buffer.byteLength(name) > 100) throw new Error(`${name}: names over 100 bytes are not supported`);
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12); // mtime: fixed, for reproducible archives
  put('        ', 148, 8); // checksum placeholder: spaces while summing
  put('0', 156, 1); // regular file
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** The archive's bytes. @returns {{ name: string, version: string, bytes: Buffer }} */
function packageChart() {
  const chartYaml = fs.readFileSync(path.join(CHART_DIR, 'Chart.yaml'), 'utf8');
  const name = chartYaml.match(/^name:\s*(\S+)/m)?.[1];
  const version = chartYaml.match(/^version:\s*(\S+)/m)?.[1];
  if (!name || !version) throw new Error('Chart.yaml needs name and version');
  const parts = [];
  for (const file of filesOf(CHART_DIR)) {
    const content = fs.readFileSync(path.join(CHART_DIR, file));
    parts.push(header(`${name}/${file}`, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024)); // end of archive
  return { name, version, bytes: zlib.gzipSync(Buffer.concat(parts), { level: 9 }) };
}

module.exports = { packageChart, CHART_DIR };

if (require.main === module) {
  const { name, version, bytes } = packageChart();
  const out = path.join(__dirname, '..', 'assets', `${name}-${version}.tgz`);
  fs.writeFileSync(out, bytes);
  process.stdout.write(`${path.relative(process.cwd(), out)} (${bytes.length} bytes)\n`);
}
