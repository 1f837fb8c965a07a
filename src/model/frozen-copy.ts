/**
 * @internal A frozen copy of `list` when it is an array, anything else as it is (for the
 * check that follows to refuse). An option list is copied before it is checked, so that
 * what promkit keeps is what it checked, whatever the caller does with its array later.
 */
export function frozenCopy<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return Array.isArray(list) ? Object.freeze(list.slice()) : list;
}
