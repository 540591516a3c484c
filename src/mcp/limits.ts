/**
 * How much one server takes on. A model calls its tools without a person approving each call
 * (see docs/mcp.md), so nothing it asks may grow without bound: the plan it sends, the workers
 * and runs it starts, what a call returns, what the server keeps in memory.
 */
export const limits = {
  /** A plan's data, as JSON (a plan file may be as large). */
  planBytes: 1024 * 1024,
  /** Workers in one run, over all its stages. */
  workersPerRun: 64,
  /** Runs running at once. */
  runningRuns: 4,
  /** Ended runs still held in memory (older ones are read back from their folders). */
  endedRunsKept: 16,
  /** The final messages of one run view together, in characters (shared among its workers). */
  messageChars: 100_000,
  /** No worker's final message is cut shorter than this, however many there are. */
  minMessageChars: 1_000,
  /** A run view as a whole, as JSON, in characters. */
  viewChars: 400_000,
} as const;
