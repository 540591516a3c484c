/** The project's own templates folder, relative to the project, read by default when present. */
export const projectTemplatesDir = '.orch/templates';
