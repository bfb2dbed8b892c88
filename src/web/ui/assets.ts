// The dashboard's static files: htmx and its SSE extension from node_modules (never a CDN), and the
// page's own CSS, script and icon from static/. Read once, kept in memory, served with an ETag.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

interface AssetSource {
  /** A package file resolved like an import (`htmx.org/dist/htmx.min.js`), or undefined for static/. */
  module?: string;
  /** Path relative to the repository root, used for static files and as the fallback for packages. */
  path: string;
  type: string;
}

const JS = 'text/javascript; charset=utf-8';

export const ASSET_SOURCES = {
  'htmx.min.js': { module: 'htmx.org/dist/htmx.min.js', path: 'node_modules/htmx.org/dist/htmx.min.js', type: JS },
  'hx-sse.js': { module: 'htmx.org/dist/ext/hx-sse.min.js', path: 'node_modules/htmx.org/dist/ext/hx-sse.min.js', type: JS },
  'dashboard.js': { path: 'static/dashboard.js', type: JS },
  'dashboard.css': { path: 'static/dashboard.css', type: 'text/css; charset=utf-8' },
  'favicon.svg': { path: 'static/favicon.svg', type: 'image/svg+xml' },
} satisfies Record<string, AssetSource>;

export type AssetName = keyof typeof ASSET_SOURCES;

// This file is src/web/ui/assets.ts: the repository root is three folders up.
const REPO_ROOT = new URL('../../../', import.meta.url);

function locate(source: AssetSource): string {
  if (source.module !== undefined) {
    try {
      // Finds the package wherever the package manager put it (hoisted or not).
      const resolved = createRequire(import.meta.url).resolve(source.module);
      if (existsSync(resolved)) return resolved;
    } catch {
      // Some runtimes resolve npm packages differently; the repository's own node_modules is next.
    }
  }
  return fileURLToPath(new URL(source.path, REPO_ROOT));
}

const cache = new Map<AssetName, Asset>();

/** Reads (once) and returns an asset; throws with what to do when the file is missing. */
export function loadAsset(name: AssetName): Asset {
  let asset = cache.get(name);
  if (asset !== undefined) return asset;
  const source: AssetSource = ASSET_SOURCES[name];
  const file = locate(source);
  let body: Uint8Array;
  try {
    body = new Uint8Array(readFileSync(file));
  } catch (err) {
    const hint = source.module !== undefined ? ' (run `npm install`: the dashboard serves htmx from node_modules)' : '';
    throw new Error(`cannot read dashboard asset ${file}${hint}: ${(err as Error).message}`);
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
  asset = { body, type: source.type, etag };
  cache.set(name, asset);
  return asset;
}

/** `/assets/NAME?v=HASH`: the version changes with the content, so browsers never run a stale script. */
export function assetUrl(name: AssetName): string {
  return `/assets/${name}?v=${loadAsset(name).etag.slice(1, 9)}`;
}

export function isAssetName(name: string): name is AssetName {
  return Object.hasOwn(ASSET_SOURCES, name);
}
