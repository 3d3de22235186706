// @ts-check
'use strict';
/*
 * jest setup: cdktf records a full stack trace for every token it creates (tens per resource), on a
 * plain object, and never reads it unless synthesis fails. Under jest every trace is source-mapped,
 * which was a third of the suite's time. Traces of real errors are formatted as before; the rest are
 * left empty.
 */
const format = Error.prepareStackTrace;
Error.prepareStackTrace = (error, frames) => {
  if (!(error instanceof Error)) return '';
  if (format) return format(error, frames);
  return `${error}${frames.map((f) => `\n    at ${f}`).join('')}`;
};
