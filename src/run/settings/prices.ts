import { Ajv } from 'ajv';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { UserError } from '../../errors/index.js';

/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  /** Input tokens served from the prompt cache. */
  cachedInput: number;
  output: number;
}

/** Prices by model name, and when and where they were taken from. */
export interface PriceTable {
  /** The day the prices were read (YYYY-MM-DD): prices change, a cost is as of this date. */
  date: string;
  source: string;
  models: Record<string, ModelPrice>;
}

/**
 * The built-in table: OpenAI's published API prices for the models Codex uses, as of its date.
 * Estimates only (a ChatGPT plan bills differently); `.orch/prices.json` or `--prices FILE`
 * overrides or adds models.
 */
export const builtinPrices: PriceTable = {
  date: '2025-11-20',
  source: 'built-in (openai.com/api/pricing)',
  models: {
    'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5.1-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5.1-codex-max': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
    'gpt-5.1-codex-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
    'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
    'o3': { input: 2, cachedInput: 0.5, output: 8 },
    'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  },
};

const price = { type: 'number', minimum: 0, maximum: 100_000 };
const pricesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['models'],
  properties: {
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    models: {
      type: 'object',
      maxProperties: 1000,
      additionalProperties: { type: 'object', additionalProperties: false, required: ['input', 'output'], properties: { input: price, cachedInput: price, output: price } },
    },
  },
} as const;

/**
 * The built-in table with a price file laid over it: `{"date": "YYYY-MM-DD", "models": {"NAME":
 * {"input": 1.25, "cachedInput": 0.125, "output": 10}}}` in dollars per million tokens
 * (`cachedInput` defaults to `input`). `shownAs` names the file in messages.
 *
 * @throws {UserError} `prices-invalid` with one line naming the file and the place.
 */
export function loadPrices(file: string, shownAs: string = file): PriceTable {
  let text: string;
  try {
    text = readTextBounded(file, { maxBytes: 1024 * 1024, what: 'a price table' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure) throw new UserError('prices-invalid', `run: ${shownAs}: cannot read the price table: ${failure.reason}`);
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError('prices-invalid', `run: ${shownAs} is not valid JSON${/ at position \d+/.exec((error as Error).message)?.[0] ?? ''}`); // never its text: the file may be anything readable
  }
  const validate = new Ajv({ strict: false }).compile(pricesSchema);
  if (!validate(data)) {
    const error = validate.errors?.[0];
    throw new UserError('prices-invalid', `run: ${shownAs}: ${error?.instancePath || 'the table'} ${error?.message ?? 'is invalid'} (expected {"date": "YYYY-MM-DD", "models": {"NAME": {"input": N, "cachedInput": N, "output": N}}}, dollars per million tokens)`);
  }
  const given = data as { date?: string; models: Record<string, { input: number; cachedInput?: number; output: number }> };
  const models: Record<string, ModelPrice> = { ...builtinPrices.models };
  for (const [name, p] of Object.entries(given.models)) models[name] = { input: p.input, cachedInput: p.cachedInput ?? p.input, output: p.output };
  return { date: given.date ?? builtinPrices.date, source: shownAs, models };
}
