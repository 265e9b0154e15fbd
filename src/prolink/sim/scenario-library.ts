/**
 * The IO side of scenarios with `library:`: scanning the export on disk, for
 * the simulator (which plays its tracks) and for a bridge under test (which
 * should know the same tracks, with the cues the scenario added, as if the DJ
 * had set them in rekordbox and exported again).
 */
import { readTrackAnalysis } from '../../library/anlz/read-track-analysis';
import type { CatalogueData } from '../../library/catalogue/catalogue-data';
import { scanExports } from '../../library/catalogue/scan-exports';
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario-error';
import { libraryWithScenarioCues, type ReadLibrary } from './tracks/export-tracks';

function scan(folder: string): CatalogueData | Error {
  try {
    const data = scanExports([folder], { readAnalysis: readTrackAnalysis, now: () => new Date() });
    const unreadable = data.summary.unreadable[0];
    if (data.tracks.length === 0 && unreadable !== undefined) return new Error(unreadable.error);
    return data;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Scans an export folder (export.pdb and the analysis files) for its tracks. */
export const readLibraryFromDisk: ReadLibrary = (folder) => {
  const data = scan(folder);
  return data instanceof Error ? data : data.tracks;
};

/**
 * The catalogue of the scenario's `library` export with the scenario's cues
 * added to its tracks: what to give a bridge that plays against this
 * scenario. Null for a scenario without `library:`.
 */
export function scenarioCatalogue(scenario: Scenario): CatalogueData | ScenarioError | null {
  if (scenario.library === undefined) return null;
  const data = scan(scenario.library);
  if (data instanceof Error) return new ScenarioError('unreadable', `${scenario.name}: cannot read the export ${scenario.library}: ${data.message}`);
  return { ...data, tracks: libraryWithScenarioCues(data.tracks, scenario) };
}
