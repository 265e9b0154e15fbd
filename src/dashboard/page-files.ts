/**
 * The page's static files (HTML, CSS, the page's JavaScript modules), read
 * once when the dashboard starts from the folder beside this module: the
 * build copies src/dashboard/page to dist/dashboard/page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PageFile {
  readonly type: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const DEFAULT_PAGE_DIR = path.join(__dirname, 'page');

/** Files by URL path ('/app.js'), or a sentence saying why the folder cannot be read. */
export function readPageFiles(dir: string = DEFAULT_PAGE_DIR): Map<string, PageFile> | string {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `cannot read the dashboard's page files in ${dir}: ${reason} (build the project with "npm run build")`;
  }
  const files = new Map<string, PageFile>();
  for (const name of names) {
    const type = TYPES[path.extname(name)];
    if (type === undefined) continue;
    files.set(`/${name}`, { type, body: fs.readFileSync(path.join(dir, name)) });
  }
  if (!files.has('/index.html')) return `the dashboard's page is missing: no index.html in ${dir} (build the project with "npm run build")`;
  return files;
}
