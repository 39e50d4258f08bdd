// Duplicate keys in a JSON text. JSON.parse keeps the last of two equal keys, so
// {"amount":"10.00","amount":"20.00"} would settle 20.00 while a log, a proxy or a signature
// check that reads the first saw 10.00; the API refuses such a body instead. The check is one
// pass over text that JSON.parse has already accepted (so it is well formed), without a
// reviver: strings are skipped with indexOf, and only object keys are collected.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const COMMA = 0x2c;

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/**
 * The first key that appears twice in one object of `text` (valid JSON), at any depth, or
 * undefined. Keys are compared after unescaping: "a" and "\u0061" are the same key.
 */
export function duplicateKey(text: string): string | undefined {
  // One entry per open container: the keys seen so far of an object, undefined for an array.
  const open: (Set<string> | undefined)[] = [];
  let expectingKey = false;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === QUOTE) {
      const end = stringEnd(text, index);
      const keys = open[open.length - 1];
      if (expectingKey && keys !== undefined) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(index, end + 1)) as string) : raw;
        if (keys.has(key)) return key;
        keys.add(key);
        expectingKey = false;
      }
      index = end + 1;
      continue;
    }
    if (char === BRACE_OPEN) {
      open.push(new Set());
      expectingKey = true;
    } else if (char === BRACKET_OPEN) {
      open.push(undefined);
    } else if (char === BRACE_CLOSE || char === BRACKET_CLOSE) {
      open.pop();
    } else if (char === COMMA) {
      expectingKey = open[open.length - 1] !== undefined;
    }
    index++;
  }
  return undefined;
}
