// Property values as they travel between the program, the engine and a provider: Pulumi's wire form.
// Unknowns are a sentinel string; secrets, resource references and assets are objects tagged with a
// signature key. The dynamic-provider host accepts neither secrets nor resource references, so the
// engine hands it plain values, as Pulumi does for such providers.

/** Pulumi's marker for a value not known yet (preview); see `unknownValue` in @pulumi/pulumi/runtime/rpc. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecret(v: unknown): boolean {
  return isObject(v) && v[SIG] === SECRET;
}

/** Wraps a value the way the SDK reads a secret back from the engine. */
export function secret(value: unknown): Props {
  return { [SIG]: SECRET, value };
}

/**
 * What a provider that accepts neither secrets nor resources receives: secrets unwrapped, a custom
 * resource reference replaced by its id and a component's by its URN, output values by their value
 * (or the unknown sentinel), `undefined` members dropped.
 */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (!isObject(v)) return v;
  switch (v[SIG]) {
    case SECRET:
      return plain(v.value);
    case RESOURCE:
      return "id" in v ? (v.id === "" ? UNKNOWN : v.id) : v.urn;
    case OUTPUT:
      return "value" in v ? plain(v.value) : UNKNOWN;
  }
  const out: Props = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
  return out;
}

export function plainProps(v: unknown): Props {
  const p = plain(v);
  return isObject(p) ? p : {};
}

/** Top-level keys whose value is, or contains, a secret. */
export function secretKeys(props: Props): string[] {
  const contains = (v: unknown): boolean =>
    isSecret(v) || (Array.isArray(v) ? v.some(contains) : isObject(v) && Object.values(v).some(contains));
  return Object.keys(props).filter((k) => contains(props[k]));
}

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  return isObject(v) && Object.values(v).some(containsUnknown);
}

/** Structural equality of two plain JSON-like values; key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}
