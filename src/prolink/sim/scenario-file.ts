/**
 * Reading a scenario from a .json, .yaml or .yml file, or by built-in name.
 * Relative `anlz` and `library` paths are taken relative to the scenario file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario-error';
import { builtinScenario } from './scenario-builtins';

const FILE_PATTERN = /\.(json|ya?ml)$/i;

export function looksLikeScenarioFile(nameOrPath: string): boolean {
  return FILE_PATTERN.test(nameOrPath) || nameOrPath.includes('/') || nameOrPath.includes(path.sep);
}

/** Parses scenario text; `file` names it in messages and anchors relative paths. */
export function scenarioFromText(text: string, file: string): Scenario | ScenarioError {
  // Loaded here, for scenario files only: a built-in scenario needs neither the YAML parser nor the schema (and `run --simulate` starts sooner).
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  const { parseScenario } = require('./scenario') as typeof import('./scenario');
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    return new ScenarioError('invalid', `${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const scenario = parseScenario(raw, path.basename(file));
  if (scenario instanceof ScenarioError) return scenario;
  const dir = path.dirname(file);
  return {
    ...scenario,
    ...(scenario.library === undefined ? {} : { library: path.resolve(dir, scenario.library) }),
    tracks: scenario.tracks.map((t) => (t.anlz === undefined || path.isAbsolute(t.anlz) ? t : { ...t, anlz: path.resolve(dir, t.anlz) })),
  };
}

export function loadScenarioFile(file: string): Scenario | ScenarioError {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return new ScenarioError('unreadable', `cannot read the scenario file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return scenarioFromText(text, file);
}

/** A built-in scenario by name, or a scenario file by path. */
export function findScenario(nameOrPath: string): Scenario | ScenarioError {
  return looksLikeScenarioFile(nameOrPath) ? loadScenarioFile(nameOrPath) : builtinScenario(nameOrPath);
}
