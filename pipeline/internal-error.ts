/** A promise c2c's own code broke: a bug in c2c, never a mistake in a partner's file or the config. */
export class InternalError extends Error {
  override name = "InternalError";
}

/**
 * `items[i]`, where the code guarantees `i` is one of the array's indexes (an unknown's number, a
 * position taken from the same array). Throws an InternalError naming `what` where it is not, rather
 * than let `undefined` on into a count.
 */
export function itemAt<T>(items: ArrayLike<T>, i: number, what: string): T {
  const item = items[i];
  if (item === undefined) throw new InternalError(`c2c has no ${what} ${i} (it has ${items.length})`);
  return item;
}
