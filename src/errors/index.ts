export { type ErrorCode, errorCatalog } from './catalog.js';
export { isUserError, UserError } from './user-error.js';
export { describeError, type DescribedError } from './describe.js';
