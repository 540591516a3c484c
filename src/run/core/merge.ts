import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import type { Manifest } from '../record/model.js';
import { readStructured } from './structured.js';

/** One finding after merging: where several workers reported it, every source is kept. */
export interface MergedFinding {
  severity: string;
  title: string;
  location: string;
  evidence: string;
  fix: string;
  /** Worker ids that reported it. */
  sources: string[];
  /** The lenses that found it: the finding's own `lens` when it names one, else its worker's lenses. */
  lenses: string[];
}

/** The deterministic merge of structured results (`merged.json`). */
export interface MergedResult {
  findings: MergedFinding[];
  /** Workers whose valid structured results went in. */
  workers: string[];
  /** Workers whose results did not go in, and why. */
  skipped: Array<{ worker: string; reason: string }>;
}

const severityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Where a role's structured output keeps its findings, read from its output schema: the
 * top-level array whose items have a `title` and a `location` (the reviewer's `findings`, the
 * verifier's `issues`, the synthesizer's `findings`). One rule for every role, built-in or not.
 */
export function findingsField(schema: Record<string, unknown> | undefined): string | null {
  const properties = schema?.['properties'];
  if (properties === null || typeof properties !== 'object') return null;
  for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
    const property = value as { type?: unknown; items?: { properties?: Record<string, unknown> } } | null;
    const itemProperties = property?.type === 'array' ? property.items?.properties : undefined;
    if (itemProperties && 'title' in itemProperties && 'location' in itemProperties) return name;
  }
  return null;
}

/**
 * Merge the structured final messages of succeeded workers without a model: findings with the
 * same location and the same issue (title, compared case- and punctuation-blind) become one,
 * keeping the most severe rating and the longest evidence; the result is ranked by severity,
 * then by how many lenses found it. `schemas` gives each worker's output schema (by worker id),
 * which says where its findings are.
 */
export function mergeStructured(runDir: string, manifest: Manifest, schemas: ReadonlyMap<string, Record<string, unknown> | undefined>): MergedResult {
  const byKey = new Map<string, MergedFinding>();
  const used: string[] = [];
  const skipped: MergedResult['skipped'] = [];
  for (const worker of manifest.workers) {
    const schema = schemas.get(worker.id);
    const field = findingsField(schema);
    if (worker.status !== 'succeeded') {
      skipped.push({ worker: worker.id, reason: `${worker.status}${worker.error ? `: ${worker.error}` : ''}` });
      continue;
    }
    if (schema === undefined || worker.structured?.valid !== true) {
      skipped.push({ worker: worker.id, reason: `\`${worker.role}\` declares no output schema` });
      continue;
    }
    if (field === null) {
      skipped.push({ worker: worker.id, reason: `the output schema of \`${worker.role}\` has no list of findings (an array of items with a title and a location)` });
      continue;
    }
    let items: unknown;
    try {
      items = (JSON.parse(readStructured(runDir, worker.id)) as Record<string, unknown>)[field];
    } catch (error) {
      skipped.push({ worker: worker.id, reason: `its final message cannot be read again: ${(error as Error).message}` });
      continue;
    }
    if (!Array.isArray(items)) {
      skipped.push({ worker: worker.id, reason: `no \`${field}\` list in its final message` });
      continue;
    }
    used.push(worker.id);
    for (const raw of items as Array<Record<string, unknown>>) {
      const f = { severity: str(raw['severity']), title: str(raw['title']), location: str(raw['location']), evidence: str(raw['evidence']), fix: str(raw['fix']) };
      const key = `${normalize(f.location)}|${normalize(f.title)}`;
      // A worker with two lenses says which one found each finding (the built-in schemas' `lens`).
      const lenses = typeof raw['lens'] === 'string' && raw['lens'].trim() !== '' ? [raw['lens'].trim()] : worker.lenses;
      const hit = byKey.get(key);
      if (!hit) {
        byKey.set(key, { ...f, sources: [worker.id], lenses: [...lenses] });
        continue;
      }
      if (rank(f.severity) < rank(hit.severity)) hit.severity = f.severity;
      if (f.evidence.length > hit.evidence.length) hit.evidence = f.evidence;
      if (!hit.sources.includes(worker.id)) hit.sources.push(worker.id);
      for (const lens of lenses) if (!hit.lenses.includes(lens)) hit.lenses.push(lens);
    }
  }
  const findings = [...byKey.values()].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || b.lenses.length - a.lenses.length || b.sources.length - a.sources.length || a.location.localeCompare(b.location),
  );
  return { findings, workers: used, skipped };
}

/**
 * Write `merged.json` and a readable `merged.md`; returns the Markdown's relative path. With no
 * worker merged, the Markdown says so and why, never "No findings".
 */
export function writeMerged(runDir: string, merged: MergedResult): string {
  writeFileAtomic(join(runDir, 'merged.json'), `${JSON.stringify(merged, null, 2)}\n`);
  const lines: string[] = [];
  if (merged.workers.length === 0) {
    lines.push('# Nothing merged', '', 'No worker returned a valid structured result, so there is nothing to merge:', '');
  } else {
    lines.push(`# Merged findings (${merged.findings.length} from ${merged.workers.length} worker${merged.workers.length === 1 ? '' : 's'})`, '');
    for (const [i, f] of merged.findings.entries()) {
      lines.push(`${i + 1}. **${f.severity}** ${f.title} (${f.location})`, `   found by: ${f.lenses.length > 0 ? f.lenses.join(', ') : f.sources.join(', ')}`, `   evidence: ${f.evidence}`, `   fix: ${f.fix}`, '');
    }
    if (merged.findings.length === 0) lines.push('No findings.', '');
    if (merged.skipped.length > 0) lines.push('Not merged:', '');
  }
  for (const { worker, reason } of merged.skipped) lines.push(`- ${worker}: ${reason}`);
  if (merged.skipped.length > 0) lines.push('');
  writeFileAtomic(join(runDir, 'merged.md'), lines.join('\n'));
  return 'merged.md';
}

function rank(severity: string): number {
  return severityRank[severity] ?? 4;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9:./]+/g, ' ')
    .replace(/^[\s.:/]+|[\s.:/]+$/g, '');
}
