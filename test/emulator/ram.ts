// RAM as the gateway applies it to an access key: the actions its policy allows, as RAM-style patterns
// ("ecs:*", "ecs:Describe*": `*` matches zero or more characters, `?` one, as "Policy structure and syntax"
// documents; matched without case, a choice where that page is silent). A call its
// policy does not allow answers 403 Forbidden.RAM, except DescribeInstances, which answers an empty list
// (API reference: "If you are using a RAM user or RAM role that does not have the permissions to call this
// operation, an empty list is returned").
import { ApiError } from "./errors";
import type { EmulatorKey } from "./signature";

/** Allowed without a policy: everything. A `readOnly` key (the CLI's --read-only-key) may only read: ECS and BSS Describe*, EMR Get* and List*. */
export function allowList(key: EmulatorKey): string[] {
  return key.allow ?? (key.readOnly ? ["ecs:Describe*", "bss:Describe*", "emr:Get*", "emr:List*"] : ["ecs:*", "bss:*", "emr:*"]);
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

/** `ramAction` is the policy's name of the call, `ecs:RenewInstance` or `bss:DescribeInstances`. */
export function permits(key: EmulatorKey, ramAction: string): boolean {
  return allowList(key).some((p) => pattern(p).test(ramAction));
}

/** Checks a fleet file's action pattern: `ecs:`, `bss:` or `emr:` (any case) followed by letters, `*` and `?`, or `*` alone. */
export function validPattern(p: unknown): boolean {
  return typeof p === "string" && (p === "*" || /^(ecs|bss|emr):[A-Za-z*?]+$/i.test(p));
}

export function forbidden(key: EmulatorKey, ramAction: string): ApiError {
  return new ApiError(
    403,
    "Forbidden.RAM",
    `User not authorized to operate on the specified resource, or this API doesn't support RAM. The user ${key.accessKeyId} is not allowed action: ${ramAction}`,
    {},
    { AccessDeniedDetail: { AuthAction: ramAction, AuthPrincipalType: "SubUser", AuthPrincipalDisplayName: key.accessKeyId, NoPermissionType: "ImplicitDeny", PolicyType: "AccountLevelIdentityBasedPolicy" } },
  );
}
