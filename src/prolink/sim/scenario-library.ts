/**
 * The IO side of scenarios with `library:`: scanning the export on disk, for
 * the simulator (which plays its tracks) and for a bridge under test (which
 * should know the same tracks, with the cues the scenario added, as if the DJ
 * had set them in rekordbox and exported again); and the whole simulated USB,
 * synthetic tracks included, that `run --simulate` gives the bridge.
 */
import * as fs from 'node:fs';
import { readTrackAnalysis } from '../../library/anlz/read-track-analysis';
import type { CatalogueData } from '../../library/catalogue/catalogue-data';
import { scanExports } from '../../library/catalogue/scan-exports';
import { mergeCatalogues } from '../../library/catalogue/catalogue';
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario-error';
import { libraryWithScenarioCues, type ReadLibrary } from './tracks/export-tracks';
import { simulatedUsbCatalogue } from './tracks/simulated-usb';
import { tracksOf, type ReadFile } from './tracks/track-library';

function scan(folder: string): CatalogueData | Error {
  // One sentence that names the folder once (e.g. an example's fixture export, which a package installed from npm does not have).
  if (!fs.existsSync(folder)) return new Error("no such folder; give the USB drive's folder (the one holding PIONEER)");
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

/**
 * Everything on the simulated DJ's USB, for a bridge that is given no library
 * of its own: the scenario's synthetic tracks (see simulated-usb) and, for a
 * scenario with `library:`, the tracks of that export with the scenario's
 * cues. `scenario` is the scenario as written (its export tracks not yet
 * resolved into `tracks`); `readFile` reads the analysis files tracks name.
 */
export function simulatedUsb(scenario: Scenario, readFile: ReadFile, now: () => Date = () => new Date()): CatalogueData | ScenarioError {
  const tracks = tracksOf(scenario, readFile);
  if (tracks instanceof ScenarioError) return tracks;
  const createdAt = now().toISOString();
  const synthetic = simulatedUsbCatalogue(scenario.name, tracks.values(), createdAt);
  const exported = scenarioCatalogue(scenario);
  if (exported instanceof ScenarioError) return exported;
  if (exported === null) return synthetic;
  return synthetic.tracks.length === 0 ? exported : mergeCatalogues([synthetic, exported], createdAt);
}
