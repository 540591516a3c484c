#!/usr/bin/env node
// The CLI is one bundled file built by `npm run build` (npm install runs it through `prepare`).
try {
  await import('../dist/cli/orch-prompt.mjs');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('orch-prompt.mjs')) {
    process.stderr.write('orch-prompt: not built yet: run `npm run build` in the codex-orchestration package\n');
    process.exitCode = 1;
  } else {
    throw error;
  }
}
