// @ts-check
'use strict';
// The floor: the cost of loading cdktf and synthesizing an App with nothing in it.
const { App } = require('cdktf');

new App().synth();
