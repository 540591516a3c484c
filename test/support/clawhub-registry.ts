import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildSkillFingerprint } from 'clawhub/dist/skills.js';
import { zipSync, type Zippable } from 'fflate';
import { parseDocument } from '../../src/markdown/parse.js';

/** The pinned real ClawHub CLI (devDependency `clawhub`). */
export const clawhubBin = fileURLToPath(new URL('../../node_modules/.bin/clawhub', import.meta.url));

/** One file of a published version, as the registry stores it. */
export interface StoredFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  contentType: string;
}

/** One published version. */
export interface StoredVersion {
  version: string;
  changelog: string;
  createdAt: number;
  files: StoredFile[];
  /** What `GET /api/v1/resolve?hash=` matches: ClawHub's fingerprint of the files (its own function). */
  fingerprint: string;
}

/** A skill in the registry. */
export interface StoredSkill {
  slug: string;
  displayName: string;
  ownerHandle: string;
  /** From the `description` of the latest `SKILL.md`, as ClawHub shows it in search. */
  summary: string | null;
  createdAt: number;
  updatedAt: number;
  versions: StoredVersion[];
  /** The body of each `POST /api/v1/skills` for this slug, as received. */
  publishRequests: Array<Record<string, unknown>>;
}

/** One request the registry received. */
export interface RegistryRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether it carried the registry's token. */
  authorized: boolean;
}

/** A running loopback ClawHub registry. */
export interface ClawhubRegistry {
  /** Base URL for `clawhub --registry` / `CLAWHUB_REGISTRY`. */
  url: string;
  /** The API token it accepts (`clawhub login --token`). */
  token: string;
  /** The publisher handle of that token. */
  handle: string;
  skills: Map<string, StoredSkill>;
  requests: RegistryRequest[];
  /** Requests for routes it does not implement (a test asserts there are none). */
  unhandled: RegistryRequest[];
  close(): Promise<void>;
}

/** Options of {@link startClawhubRegistry}. */
export interface ClawhubRegistryOptions {
  /** Token accepted as `Authorization: Bearer <token>` (default: a random `clh_test_...`). */
  token?: string;
  /** Publisher handle returned by whoami (default `tester`). */
  handle?: string;
}

const slugPattern = /^[a-z0-9](?:(?!--)[a-z0-9-])*[a-z0-9]$/;
const semverPattern = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
// Zip entries carry a fixed time, as the real registry's deterministic zips do.
const fixedZipDate = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Start a loopback registry that speaks the routes the pinned `clawhub` CLI (0.23.3) calls, read
 * from its source (`dist/schema/routes.js`, `dist/cli/commands/{publish,skills,auth}.js`,
 * `dist/http.js`):
 *
 * - publish: `GET /api/v1/resolve?slug&hash`, `GET /api/v1/whoami`,
 *   `POST /api/v1/skills/-/upload-url`, `POST <uploadUrl>` (raw bytes),
 *   `POST /api/v1/skills` (JSON: slug, version, changelog, files by storage id);
 * - install and update: `GET /api/v1/skills/:slug`, `GET /api/v1/skills/:slug/versions/:v`,
 *   `GET /api/v1/skills/:slug/install`, `GET /api/v1/download?slug&version` (a zip of the files
 *   plus `_meta.json`, as ClawHub's `convex/lib/skillZip.ts` builds it), `GET /api/v1/resolve`;
 * - search: `GET /api/v1/search?q&limit`;
 * - `POST /api/cli/telemetry/install` (accepted, ignored).
 *
 * Uploads are checked like the real service checks them (token, sha256 and size of every file,
 * new semver version, `SKILL.md` present) and stored, so a test can compare what was uploaded
 * with what was built.
 */
export async function startClawhubRegistry(options: ClawhubRegistryOptions = {}): Promise<ClawhubRegistry> {
  const token = options.token ?? `clh_test_${randomUUID().replace(/-/g, '')}`;
  const handle = options.handle ?? 'tester';
  const skills = new Map<string, StoredSkill>();
  const requests: RegistryRequest[] = [];
  const unhandled: RegistryRequest[] = [];
  const tickets = new Map<string, { path: string; size: number; sha256: string; contentType: string }>();
  const blobs = new Map<string, { bytes: Buffer; sha256: string }>();
  let base = '';

  const server = createServer((req, res) => {
    void handle_(req, res).catch((error: unknown) => text(res, 500, error instanceof Error ? error.message : String(error)));
  });

  async function handle_(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    const request: RegistryRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), authorized };
    requests.push(request);
    const body = await readBody(req);
    const route = `${request.method} ${url.pathname}`;
    const skillPath = /^\/api\/v1\/skills\/([^/]+)(?:\/(install|versions\/([^/]+)))?$/.exec(url.pathname);

    if (route === 'GET /api/v1/whoami') {
      if (!authorized) return text(res, 401, 'Unauthorized');
      return json(res, 200, { user: { handle, displayName: 'Test Publisher', image: null, role: 'user' } });
    }
    if (route === 'GET /api/v1/resolve') {
      const skill = skills.get(url.searchParams.get('slug') ?? '');
      if (!skill) return text(res, 404, 'Skill not found');
      const hash = url.searchParams.get('hash');
      const match = skill.versions.find((v) => v.fingerprint === hash);
      return json(res, 200, { match: match ? { version: match.version } : null, latestVersion: { version: latest(skill).version } });
    }
    if (route === 'POST /api/v1/skills/-/upload-url') {
      if (!authorized) return text(res, 401, 'Unauthorized');
      const data = parseJson(body) as { path?: unknown; size?: unknown; sha256?: unknown; contentType?: unknown };
      if (typeof data.path !== 'string' || typeof data.size !== 'number' || typeof data.sha256 !== 'string') return text(res, 400, 'path, size and sha256 required');
      const ticket = randomUUID();
      tickets.set(ticket, { path: data.path, size: data.size, sha256: data.sha256, contentType: typeof data.contentType === 'string' ? data.contentType : 'application/octet-stream' });
      return json(res, 200, { uploadUrl: `${base}/upload/${ticket}`, uploadTicket: ticket });
    }
    if (request.method === 'POST' && url.pathname.startsWith('/upload/')) {
      if (!authorized) return text(res, 401, 'Unauthorized');
      const ticket = tickets.get(url.pathname.slice('/upload/'.length));
      if (!ticket) return text(res, 404, 'Unknown upload ticket');
      const sha256 = createHash('sha256').update(body).digest('hex');
      if (sha256 !== ticket.sha256 || body.length !== ticket.size) return text(res, 400, `Upload of ${ticket.path} does not match its declared sha256 and size`);
      const storageId = `storage_${randomUUID()}`;
      blobs.set(storageId, { bytes: body, sha256 });
      return json(res, 200, { storageId });
    }
    if (route === 'POST /api/v1/skills') {
      if (!authorized) return text(res, 401, 'Unauthorized');
      return publish(res, parseJson(body) as Record<string, unknown>);
    }
    if (request.method === 'GET' && skillPath) {
      const skill = skills.get(decodeURIComponent(skillPath[1] as string));
      if (!skill) return text(res, 404, 'Skill not found');
      if (skillPath[2] === 'install') {
        const version = latest(skill).version;
        return json(res, 200, { ok: true, slug: skill.slug, installKind: 'archive', archive: { version, downloadUrl: `${base}/api/v1/download?slug=${skill.slug}&version=${version}` } });
      }
      if (skillPath[3] !== undefined) {
        const version = skill.versions.find((v) => v.version === decodeURIComponent(skillPath[3] as string));
        if (!version) return text(res, 404, 'Version not found');
        return json(res, 200, {
          version: { version: version.version, createdAt: version.createdAt, changelog: version.changelog, license: 'MIT-0', files: version.files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: f.sha256 })) },
          skill: { slug: skill.slug, displayName: skill.displayName },
        });
      }
      const newest = latest(skill);
      return json(res, 200, {
        skill: { slug: skill.slug, displayName: skill.displayName, summary: skill.summary, tags: { latest: newest.version }, stats: {}, createdAt: skill.createdAt, updatedAt: skill.updatedAt },
        latestVersion: { version: newest.version, createdAt: newest.createdAt, changelog: newest.changelog, license: 'MIT-0' },
        owner: { handle: skill.ownerHandle, displayName: 'Test Publisher', image: null },
        moderation: { isSuspicious: false, isMalwareBlocked: false, verdict: 'clean' },
      });
    }
    if (route === 'GET /api/v1/download') {
      const skill = skills.get(url.searchParams.get('slug') ?? '');
      if (!skill) return text(res, 404, 'Skill not found');
      const wanted = url.searchParams.get('version');
      const version = wanted ? skill.versions.find((v) => v.version === wanted) : latest(skill);
      if (!version) return text(res, 404, 'Version not found');
      const entries: Zippable = {};
      for (const file of [...version.files].sort((a, b) => a.path.localeCompare(b.path))) entries[file.path] = [file.bytes, { mtime: fixedZipDate }];
      const meta = { ownerId: `user_${skill.ownerHandle}`, slug: skill.slug, version: version.version, publishedAt: version.createdAt };
      entries['_meta.json'] = [Buffer.from(JSON.stringify(meta, null, 2)), { mtime: fixedZipDate }];
      const zip = zipSync(entries, { level: 6 });
      res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${skill.slug}-${version.version}.zip"` }).end(Buffer.from(zip));
      return;
    }
    if (route === 'GET /api/v1/search') {
      const query = (url.searchParams.get('q') ?? '').toLowerCase();
      const words = query.split(/\s+/).filter(Boolean);
      const results = [...skills.values()]
        .map((skill) => {
          const haystack = `${skill.slug} ${skill.displayName} ${skill.summary ?? ''}`.toLowerCase();
          return { skill, score: words.filter((word) => haystack.includes(word)).length / Math.max(words.length, 1) };
        })
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, Number(url.searchParams.get('limit') ?? 25))
        .map(({ skill, score }) => ({ slug: skill.slug, displayName: skill.displayName, summary: skill.summary, version: latest(skill).version, score, ownerHandle: skill.ownerHandle, updatedAt: skill.updatedAt }));
      return json(res, 200, { results });
    }
    if (route === 'POST /api/cli/telemetry/install') return json(res, 200, { ok: true });
    unhandled.push(request);
    return text(res, 404, `Not implemented by the loopback registry: ${route}`);
  }

  function publish(res: ServerResponse, data: Record<string, unknown>): void {
    const slug = data['slug'];
    const version = data['version'];
    const files = data['files'];
    if (typeof slug !== 'string' || !slugPattern.test(slug)) return text(res, 400, 'Invalid slug');
    if (typeof version !== 'string' || !semverPattern.test(version)) return text(res, 400, 'Version must be valid semver');
    if (data['acceptLicenseTerms'] !== true) return text(res, 400, 'License terms must be accepted');
    if (data['ownerHandle'] !== handle) return text(res, 403, `Cannot publish as ${String(data['ownerHandle'])}`);
    if (!Array.isArray(files) || files.length === 0) return text(res, 400, 'No files');
    const stored: StoredFile[] = [];
    for (const file of files as Array<Record<string, unknown>>) {
      const blob = blobs.get(String(file['storageId']));
      if (!blob || blob.sha256 !== file['sha256'] || blob.bytes.length !== file['size']) return text(res, 400, `File ${String(file['path'])} does not match its upload`);
      stored.push({ path: String(file['path']), bytes: blob.bytes, sha256: blob.sha256, contentType: String(file['contentType'] ?? 'application/octet-stream') });
    }
    const entry = stored.find((file) => file.path.toLowerCase() === 'skill.md');
    if (!entry) return text(res, 400, 'SKILL.md required');
    const existing = skills.get(slug);
    if (existing?.versions.some((v) => v.version === version)) return text(res, 409, `Version ${version} already exists`);
    const now = Date.now();
    const description = parseDocument(entry.bytes.toString('utf8')).frontmatter?.data['description'];
    const skill: StoredSkill = existing ?? { slug, displayName: String(data['displayName'] ?? slug), ownerHandle: handle, summary: null, createdAt: now, updatedAt: now, versions: [], publishRequests: [] };
    skill.summary = typeof description === 'string' ? description : null;
    skill.updatedAt = now;
    skill.publishRequests.push(data);
    skill.versions.push({ version, changelog: String(data['changelog'] ?? ''), createdAt: now, files: stored, fingerprint: buildSkillFingerprint(stored) });
    skills.set(slug, skill);
    json(res, 200, { ok: true, skillId: `skill_${slug}`, versionId: `version_${slug}_${version}`, slug, version, publicationStatus: 'published' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    handle,
    skills,
    requests,
    unhandled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function latest(skill: StoredSkill): StoredVersion {
  return skill.versions.at(-1) as StoredVersion;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}

function json(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
}
