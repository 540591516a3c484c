// What the local executor (codex exec here) keeps of a worker: its configuration from the plan,
// and what it records in the worker's `executor` part of the manifest.

/** How editing workers share the project: in it (`none`), or each in its own git worktree. */
export type Isolation = 'none' | 'worktree';

/** Where an isolated editing worker works: its own git worktree on a new branch. */
export interface WorktreePlan {
  /** Top folder of the repository the worktree belongs to. */
  repo: string;
  /** The commit the branch starts from (HEAD when the run was planned). */
  base: string;
  /** `orch/<run id>/<worker id>`. */
  branch: string;
  /** The worktree folder, `<run>/<worker>/worktree`. */
  path: string;
  /** The repository's git common folder (its worktree pool is in it). */
  commonDir: string;
  /** Copy the repository's uncommitted changes in (`from-dirty`). */
  fromDirty: boolean;
}

/** Lines changed by a worker, as `git diff --shortstat` counts them. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}

/** A worker's worktree as recorded: planned, kept with the worker's changes, or removed. */
export interface WorktreeRecord extends WorktreePlan {
  /** `planned` until the worker ends; `kept` when it changed something, else `removed`. */
  state: 'planned' | 'kept' | 'removed';
  /** The commit holding the uncommitted changes copied in (`from-dirty`), when there were any. */
  snapshot?: string;
  /** The commit with the worker's changes (kept worktrees). */
  head?: string;
  /** What the worker changed, from `snapshot` (else `base`) to `head`. */
  diffstat?: DiffStat;
  /** Files it changed outside its `paths` (repository-relative): reported, and `runs apply` refuses the branch. */
  outside?: string[];
  /** Why the worktree could not be created, committed or removed. */
  error?: string;
}

/** A local worker's configuration, fixed while planning. */
export interface LocalConfig {
  /** Whether its folder is inside a git work tree (else `--skip-git-repo-check`). */
  inGitRepo: boolean;
  /** `worktree`: an editing worker in a git worktree of its own (a plan worker's, else `--isolation`). */
  isolation?: Isolation;
  /** Its worktree, when it gets one. */
  worktree?: WorktreePlan;
}

/** What a local worker records (`executor` of its manifest record). */
export interface LocalRecord {
  kind: 'local';
  /** Its git worktree (`--isolation worktree`). */
  worktree?: WorktreeRecord;
}
