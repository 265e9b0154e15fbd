/**
 * Saving a catalogue as one JSON file and loading it back, checked.
 */
import * as fs from 'node:fs';
import { CatalogueError } from './catalogue-error';
import { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueData } from './catalogue-data';
import { catalogueSchema } from './catalogue-schema';

export function catalogueJson(data: CatalogueData): string {
  return `${JSON.stringify(data)}\n`;
}

export function saveCatalogue(file: string, data: CatalogueData): void {
  try {
    fs.writeFileSync(file, catalogueJson(data));
  } catch (error) {
    throw new CatalogueError('unwritable', `${file}: the catalogue cannot be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where in the document an issue is, e.g. tracks[3].source.filePath. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Checks the text of a catalogue file named `name`; throws a CatalogueError sentence naming it. */
export function parseCatalogue(text: string, name: string): CatalogueData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogueError('bad-catalogue', `${name}: not a track catalogue (not JSON: ${error instanceof Error ? error.message : String(error)}); write one with \`prolink-bridge library scan\`.`);
  }
  if (!isRecord(json) || json['format'] !== CATALOGUE_FORMAT) {
    throw new CatalogueError('bad-catalogue', `${name}: not a track catalogue (no "format": "${CATALOGUE_FORMAT}"); write one with \`prolink-bridge library scan\`.`);
  }
  if (json['version'] !== CATALOGUE_VERSION) {
    throw new CatalogueError(
      'bad-catalogue',
      `${name}: a catalogue of version ${JSON.stringify(json['version'])}, but this prolink-bridge reads version ${CATALOGUE_VERSION}; scan the USB again with \`prolink-bridge library scan\`.`,
    );
  }
  const result = catalogueSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : `${issuePath(issue.path)}: `;
    throw new CatalogueError('bad-catalogue', `${name}: ${where}${issue?.message ?? 'not a valid catalogue'}; scan the USB again with \`prolink-bridge library scan\`.`);
  }
  return result.data;
}

export function loadCatalogue(file: string): CatalogueData {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CatalogueError(
      'unreadable',
      code === 'ENOENT'
        ? `${file}: no such catalogue; write one with \`prolink-bridge library scan <usb-folder>\`.`
        : `${file}: cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseCatalogue(text, file);
}
