// RAM as the gateway applies it to an access key: the actions its policy allows, as RAM-style patterns
// ("ecs:*", "ecs:Describe*": `*` matches zero or more characters, `?` one, as "Policy structure and syntax"
// documents; matched without case, a choice where that page is silent). A call its
// policy does not allow answers 403 Forbidden.RAM, except DescribeInstances, which answers an empty list
// (API reference: "If you are using a RAM user or RAM role that does not have the permissions to call this
// operation, an empty list is returned").
import { ApiError } from "./errors";
import type { EmulatorKey } from "./signature";

/** The RAM service prefix of each product the server answers ("ecs:DescribeInstances", "emr:GetCluster"). */
export type RamProduct = "ecs" | "emr";

/** Allowed without a policy: everything. A `readOnly` key (the CLI's --read-only-key) may only read: ECS Describe*, EMR Get* and List*. */
export function allowList(key: EmulatorKey): string[] {
  return key.allow ?? (key.readOnly ? ["ecs:Describe*", "emr:Get*", "emr:List*"] : ["ecs:*", "emr:*"]);
}

const patternCache = new Map<string, RegExp>();

function pattern(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    const literal = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    re = new RegExp(`^${p.split("*").map((part) => part.split("?").map(literal).join(".")).join(".*")}$`, "i");
    patternCache.set(p, re);
  }
  return re;
}

export function permits(key: EmulatorKey, action: string, product: RamProduct = "ecs"): boolean {
  return allowList(key).some((p) => pattern(p).test(`${product}:${action}`));
}

/** Checks a fleet file's action pattern: `ecs:` or `emr:` (any case) followed by letters, `*` and `?`, or `*` alone. */
export function validPattern(p: unknown): boolean {
  return typeof p === "string" && (p === "*" || /^(ecs|emr):[A-Za-z*?]+$/i.test(p));
}

export function forbidden(key: EmulatorKey, action: string, product: RamProduct = "ecs"): ApiError {
  return new ApiError(
    403,
    "Forbidden.RAM",
    `User not authorized to operate on the specified resource, or this API doesn't support RAM. The user ${key.accessKeyId} is not allowed action: ${product}:${action}`,
    {},
    { AccessDeniedDetail: { AuthAction: `${product}:${action}`, AuthPrincipalType: "SubUser", AuthPrincipalDisplayName: key.accessKeyId, NoPermissionType: "ImplicitDeny", PolicyType: "AccountLevelIdentityBasedPolicy" } },
  );
}
