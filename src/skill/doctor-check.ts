/** One thing `doctor` looked at. */
export interface DoctorCheck {
  id: 'node' | 'codex' | 'codex-home' | 'skill' | 'duplicates' | 'agents' | 'mcp' | 'clawhub';
  ok: boolean;
  /** What was found. */
  message: string;
  /** How to fix it, when not ok. */
  fix?: string;
}
