/**
 * Why a scenario cannot be used. On its own, apart from the schema (scenario.ts),
 * so that running a built-in scenario loads no schema validator.
 */
export type ScenarioErrorCode = 'invalid' | 'unreadable' | 'unknown-scenario';

export class ScenarioError {
  readonly name = 'ScenarioError';

  constructor(
    readonly code: ScenarioErrorCode,
    readonly message: string,
  ) {}

  toString(): string {
    return this.message;
  }
}
