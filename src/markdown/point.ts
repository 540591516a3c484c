/** A point in the original file, 1-based like unist positions. */
export interface Point {
  line: number;
  column: number;
}
