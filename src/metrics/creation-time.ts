let lastMilliseconds = -1;
let lastSeconds = 0;

/**
 * The wall-clock time in seconds, as a series records when it was created: the same number
 * for every series created within one millisecond (`Date.now()` has no finer grain).
 *
 * Sharing the number is what makes it cheap to keep. A series field that only ever held
 * numbers is a double field, and V8 boxes each object's double on its own (16 bytes a
 * series). A field that first held `undefined` (a class field declared without an
 * initializer and set in the constructor) stays tagged: it points at this one number.
 *
 * @internal Used by the counter and summary series.
 */
export function creationSeconds(): number {
  const milliseconds = Date.now();
  if (milliseconds !== lastMilliseconds) {
    lastMilliseconds = milliseconds;
    lastSeconds = milliseconds / 1000;
  }
  return lastSeconds;
}
