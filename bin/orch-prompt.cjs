#!/usr/bin/env node
'use strict';
// orch-prompt starts from dist/orch-prompt/, built by `npm run build` (npm install runs it
// through `prepare`). A CommonJS file: starting one costs Node less than an ES module.
const { join } = require('node:path');

const notBuilt = () => {
  process.stderr.write('orch-prompt: not built yet: run `npm run build` in the codex-orchestration package\n');
  process.exitCode = 1;
};
const dir = join(__dirname, '..', 'dist', 'orch-prompt');
let start;
try {
  start = require(join(dir, 'start.cjs'));
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND') throw error;
}
if (start) {
  start.startCli(dir)?.catch((error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('orch-prompt')) notBuilt();
    else throw error;
  });
} else {
  notBuilt();
}
