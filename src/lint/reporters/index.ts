export { formatHuman } from './human.js';
export type { HumanOptions } from './human.js';
export { formatJson, jsonReport, jsonReportVersion } from './json.js';
export type { JsonFinding, JsonReport } from './json.js';
export { formatSarif, sarifLog } from './sarif.js';
export type { SarifOptions } from './sarif.js';
