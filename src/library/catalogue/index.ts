/**
 * The track catalogue: rekordbox USB exports read into LibraryTracks, saved
 * as one JSON file, loaded with lookups by ID and by phrase fingerprint.
 */
export { Catalogue, mergeCatalogues } from './catalogue';
export { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueData } from './catalogue-data';
export { catalogueJson, loadCatalogue, parseCatalogue, saveCatalogue } from './catalogue-file';
export { CatalogueError, type CatalogueErrorCode } from './catalogue-error';
export {
  findDuplicates,
  summarize,
  trackRef,
  type CatalogueSummary,
  type Duplicate,
  type DuplicateKind,
  type ExportInfo,
  type MissingAnalysis,
  type TrackRef,
  type UnreadableFile,
} from './catalogue-summary';
export { analysisFile, locateExport, type ExportLocation } from './export-location';
export { libraryTrack, missingLinks, NO_ANALYSIS, pdbLookups, type AnalysisContent, type PdbLookups } from './join-track';
export { scanExports, type AnalysisReader, type ScanOptions } from './scan-exports';
