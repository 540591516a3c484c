import { writeSync } from 'node:fs';
import type { Output } from './io.js';

/**
 * Standard output or error as an {@link Output} that writes with plain `writeSync` until
 * something needs the stream itself. Creating `process.stdout` or `process.stderr` loads
 * Node's stream machinery, a few milliseconds on every call of a CLI whose commands mostly
 * print one text. Anything else asked of it (`isTTY`, `columns`, a listener) creates the
 * stream, and every write from then on goes through the stream, in order. A write the file
 * descriptor refuses (a full non-blocking pipe, a reader that went away) goes to the stream
 * too. Output bytes are the same either way.
 *
 * With `onError`, a write that fails is never Node's unhandled 'error' (a stack trace): a
 * reader that went away (EPIPE: `| head`, `| grep -q`) only drops what is left, as a pipe
 * would; any other failure (a full disk: ENOSPC) is handed to `onError`.
 */
export function lazyStdio(fd: number, stream: () => NodeJS.WriteStream, onError?: (error: NodeJS.ErrnoException) => void): Output {
  let real: NodeJS.WriteStream | undefined;
  const open = (): NodeJS.WriteStream => {
    if (real) return real;
    real = stream();
    if (onError) {
      real.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') onError(error);
      });
    }
    return real;
  };
  const write = (chunk: string): boolean => {
    if (real) return real.write(chunk);
    const bytes = Buffer.from(chunk, 'utf8');
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      return true;
    } catch {
      return open().write(bytes.subarray(offset));
    }
  };
  return new Proxy({ write } as Output, {
    get(_target, key) {
      if (key === 'write') return write;
      const stream = open();
      const value: unknown = Reflect.get(stream, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(stream) : value;
    },
    has: (_target, key) => key === 'write' || Reflect.has(open(), key),
    set: (_target, key, value) => Reflect.set(open(), key, value),
  });
}
