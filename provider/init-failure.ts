// "Created but failed to initialize": an error thrown from a dynamic provider's create or update that
// carries the resource's id and properties makes the engine keep the resource in state (and update it on
// the next run) instead of forgetting it. For resources whose creation cannot be undone, such as an order.

/** Marks `error` as leaving resource `id` behind with `properties`; returns it for `throw`. */
export function keptInState<E extends Error>(error: E, id: string, properties: object): E {
  return Object.assign(error, { id, properties, reasons: [error.message] });
}
