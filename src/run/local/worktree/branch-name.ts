/**
 * The branch of an isolated worker: `orch/<run id>/<worker id>`, the run id made safe for git
 * (git refuses spaces, `..`, `~`, `:` and more in ref names).
 */
export function workerBranch(runId: string, workerId: string): string {
  const safe = runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '').replace(/\.lock$/i, '');
  return `orch/${safe === '' ? 'run' : safe}/${workerId}`;
}
