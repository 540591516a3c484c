import { Ajv, type ErrorObject } from 'ajv';
import { UserError } from '../errors/index.js';
import type { ServerContext } from './context.js';

/** A JSON Schema, as MCP carries it (`inputSchema`, `outputSchema`). */
export type JsonSchema = { type: 'object'; properties?: Record<string, object>; required?: string[]; [key: string]: unknown };

/** What a tool call may use besides its arguments: its progress, its cancellation. */
export interface CallExtras {
  /** Aborted when the client cancels the call (or gives up on it). */
  signal: AbortSignal;
  /** Report progress while the call waits (sent only when the client asked for it). */
  progress(progress: number, total: number | undefined, message: string): void;
}

/** What Codex is told about a tool's effects (MCP tool annotations). */
export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One MCP tool: what the model reads, the schemas, and the work. */
export interface Tool<Input = Record<string, unknown>> {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /**
   * What the input is checked against before `call` (default `inputSchema`): looser where the
   * checks that follow are the CLI's own (a plan's workers are checked as a plan file is).
   */
  checkedSchema?: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  call(input: Input, context: ServerContext, extras: CallExtras): Promise<Record<string, unknown>>;
}

/** A tool, typed by its input (the input is checked against its schema before `call`). */
export function defineTool<Input>(tool: Tool<Input>): Tool {
  return tool as unknown as Tool;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const checkers = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/**
 * The tool's arguments checked against its schema, or a usage error naming the argument, as the
 * CLI names a bad flag: `render_prompt: \`lenses\` must be array`.
 *
 * @throws {UserError} `usage`.
 */
export function checkInput(tool: Tool, args: unknown): Record<string, unknown> {
  const schema = tool.checkedSchema ?? tool.inputSchema;
  let check = checkers.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    checkers.set(schema, check);
  }
  const input = args ?? {};
  if (!check(input)) throw new UserError('usage', `${tool.name}: ${inputProblem(check.errors?.[0], Object.keys(tool.inputSchema.properties ?? {}))}`);
  return input as Record<string, unknown>;
}

/** One line naming the argument and what it must be, as the CLI names a bad flag. */
function inputProblem(error: ErrorObject | undefined, names: readonly string[]): string {
  if (!error) return 'the arguments are not valid';
  const root = error.instancePath === '';
  const where = `\`${error.instancePath.slice(1).replaceAll('/', '.')}\``;
  const params = error.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[] };
  if (params.additionalProperty !== undefined) {
    return root ? `unknown argument \`${params.additionalProperty}\`, expected ${names.length > 0 ? `one of ${names.map((n) => `\`${n}\``).join(', ')}` : 'none'}` : `${where} has no key \`${params.additionalProperty}\``;
  }
  if (params.missingProperty !== undefined) return root ? `missing argument \`${params.missingProperty}\`` : `${where} needs \`${params.missingProperty}\``;
  const subject = root ? 'the arguments' : where;
  if (params.allowedValues) return `${subject} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${subject} ${error.message ?? 'is not valid'}`;
}
