import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/** Lines longer than this are passed through to the file but not parsed (a huge command output). */
const maxParsedLine = 1024 * 1024;

/**
 * A pass-through stream that hands each complete JSONL line, parsed, to `onEvent`. Bytes go on
 * unchanged (to `events.jsonl`), so memory stays bounded by one line, never the whole stream;
 * backpressure from the file reaches the child through `pipeline`.
 */
export class EventTap extends Transform {
  #decoder = new StringDecoder('utf8');
  #partial = '';
  #skipping = false;
  readonly #onEvent: (event: Record<string, unknown>) => void;

  constructor(onEvent: (event: Record<string, unknown>) => void) {
    super();
    this.#onEvent = onEvent;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#scan(this.#decoder.write(chunk));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#scan(this.#decoder.end());
    if (!this.#skipping) this.#emit(this.#partial);
    this.#partial = '';
    callback();
  }

  #scan(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (!this.#skipping) this.#emit(this.#partial + text.slice(start, end));
      this.#partial = '';
      this.#skipping = false;
      start = end + 1;
    }
    if (this.#skipping) return;
    this.#partial += text.slice(start);
    if (this.#partial.length > maxParsedLine) {
      this.#partial = '';
      this.#skipping = true;
    }
  }

  #emit(line: string): void {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return; // Codex prints only JSON on stdout with --json; anything else is not an event.
    }
    if (event !== null && typeof event === 'object' && !Array.isArray(event)) this.#onEvent(event as Record<string, unknown>);
  }
}
