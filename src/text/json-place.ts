/** A JSON Schema error's instance path as a reader writes it: `/stages/0/workers/1` -> `stages[0].workers[1]`. */
export function jsonPlace(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}
