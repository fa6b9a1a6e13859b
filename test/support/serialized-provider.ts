// The `__provider` a Pulumi program stores for a resource, obtained the way the engine sees it: by
// constructing the resource under pulumi.runtime.setMocks and capturing its registration.
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Runs `declare` under mocks and returns every resource registration it made. Children that register
 * later (after a parent's outputs resolve) are waited for with `until`.
 */
export async function captureRegistrations(declare: () => void, until: (seen: Registration[]) => boolean = (seen) => seen.length > 0): Promise<Registration[]> {
  const seen: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "capture",
    "test",
    false,
  );
  declare();
  // Registrations resolve asynchronously; give them a turn of the event loop.
  for (let i = 0; i < 300 && !until(seen); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 20));
  return seen;
}

export async function serializedProvider(declare: () => void): Promise<string> {
  const [first] = await captureRegistrations(declare);
  const provider = first?.inputs.__provider;
  if (typeof provider !== "string") throw new Error("no __provider captured");
  return provider;
}
