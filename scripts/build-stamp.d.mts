/** Where the stamp of the last full build lives (in node_modules/.cache). */
export function stampPath(root: string): string;
/** Record that the built files were just made from the sources as they are now. */
export function writeStamp(root: string): void;
/** Whether the built files are those a full build made from the sources as they are now. */
export function isUpToDate(root: string): boolean;
