// Characters that show nothing: white space of every kind, format characters (zero-width space
// and joiners, the byte-order mark, bidirectional marks), control characters, and the blank
// letters some scripts have (Hangul fillers, the blank braille pattern).
const invisible = /[\s\p{Z}\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/gu;

/** Whether `text` holds anything a reader would see: a message of only invisible characters is empty. */
export function hasVisibleText(text: string): boolean {
  return text.replace(invisible, '') !== '';
}
