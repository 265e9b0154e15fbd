/**
 * A track catalogue as it is saved: versioned, plain JSON data.
 */
import type { LibraryTrack } from '../library-track';
import type { CatalogueSummary, ExportInfo } from './catalogue-summary';

export const CATALOGUE_FORMAT = 'prolink-bridge-catalogue';
export const CATALOGUE_VERSION = 1;

export interface CatalogueData {
  readonly format: typeof CATALOGUE_FORMAT;
  readonly version: typeof CATALOGUE_VERSION;
  /** When the scan ran (ISO 8601). */
  readonly createdAt: string;
  readonly exports: readonly ExportInfo[];
  readonly tracks: readonly LibraryTrack[];
  readonly summary: CatalogueSummary;
}
