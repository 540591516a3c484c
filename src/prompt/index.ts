export { closest, didYouMean, quoteList } from '../text/closest.js';
export { readContextPackFile } from './context-pack-file.js';
export { lensIndex, resolveLenses } from './lenses.js';
export { defaultBudget, renderPrompt } from './render.js';
export type { RenderOptions, RenderResult } from './render.js';
export { agentInstructions, agentNameFor, agentNamePrefix, renderTaskMessage } from './agent.js';
export type { TaskMessageResult } from './agent.js';
