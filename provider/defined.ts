// Pulumi's wire form (a protobuf Struct) cannot carry undefined: outputs and options drop such keys first.

/** The object without its undefined-valued keys. */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
