// Where region, endpoint, site and credentials come from, resolved at run time inside the provider host.
// Nothing here is ever serialized into state: the host hands us the stack config through `configure`.

import { SITES, type Site } from "./ecs/value-sets";

export type ConfigGetter = (key: string) => string | undefined;

export type CredentialSource =
  | { kind: "static"; accessKeyId: string; accessKeySecret: string; securityToken?: string; origin: string }
  | { kind: "profile"; profile: string; origin: string }
  | { kind: "chain"; origin: string };

export interface ProviderSettings {
  /** Default region for resources that do not name one. */
  region?: string;
  /** Where the region came from, for messages ("stack config alicloud:region"). */
  regionOrigin?: string;
  /** Endpoint override such as `http://127.0.0.1:8080` (emulator, private endpoint). */
  endpoint?: string;
  /** The same for E-MapReduce (default `emr.<region>.aliyuncs.com`). */
  emrEndpoint?: string;
  /** The account's Alibaba Cloud site: what the APIs accept depends on it. Default china. */
  site: Site;
  /** Set when the configured site is not one: every check fails with it. */
  siteProblem?: string;
  /** BSS (billing API) endpoint override, e.g. `business.ap-southeast-1.aliyuncs.com` for an international account. */
  bssEndpoint?: string;
  credentials: CredentialSource;
}

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== "" ? v.trim() : undefined);

export function resolveSettings(config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const pick = (sources: Array<[string | undefined, string]>): [string, string] | undefined => {
    for (const [value, origin] of sources) {
      const v = nonEmpty(value);
      if (v) return [v, origin];
    }
    return undefined;
  };

  const region = pick([
    [config("alicloud:region"), "stack config alicloud:region"],
    [env.ALIBABA_CLOUD_REGION_ID, "ALIBABA_CLOUD_REGION_ID"],
    [env.ALICLOUD_REGION, "ALICLOUD_REGION"],
  ]);
  const endpoint = pick([
    [config("alicloud-renewal:ecsEndpoint"), "stack config alicloud-renewal:ecsEndpoint"],
    [env.ALIBABA_CLOUD_ECS_ENDPOINT, "ALIBABA_CLOUD_ECS_ENDPOINT"],
  ]);
  const emrEndpoint = pick([
    [config("alicloud-renewal:emrEndpoint"), "stack config alicloud-renewal:emrEndpoint"],
    [env.ALIBABA_CLOUD_EMR_ENDPOINT, "ALIBABA_CLOUD_EMR_ENDPOINT"],
  ]);
  const site = pick([
    [config("alicloud-renewal:site"), "stack config alicloud-renewal:site"],
    [env.ALICLOUD_RENEWAL_SITE, "ALICLOUD_RENEWAL_SITE"],
  ]);
  const known = site && (SITES as readonly string[]).includes(site[0]) ? (site[0] as Site) : undefined;
  const bssEndpoint = pick([
    [config("alicloud-renewal:bssEndpoint"), "stack config alicloud-renewal:bssEndpoint"],
    [env.ALIBABA_CLOUD_BSS_ENDPOINT, "ALIBABA_CLOUD_BSS_ENDPOINT"],
  ]);

  return {
    region: region?.[0],
    regionOrigin: region?.[1],
    endpoint: endpoint?.[0],
    ...(emrEndpoint ? { emrEndpoint: emrEndpoint[0] } : {}),
    site: known ?? "china",
    ...(site && !known
      ? { siteProblem: `${site[1]}: ${JSON.stringify(site[0])} is not an Alibaba Cloud site; use "china" (aliyun.com accounts, the default) or "international" (alibabacloud.com accounts)` }
      : {}),
    bssEndpoint: bssEndpoint?.[0],
    credentials: resolveCredentials(config, env),
  };
}

function resolveCredentials(config: ConfigGetter, env: NodeJS.ProcessEnv): CredentialSource {
  const accessKey = nonEmpty(config("alicloud:accessKey"));
  const secretKey = nonEmpty(config("alicloud:secretKey"));
  if (accessKey && secretKey) {
    return {
      kind: "static",
      accessKeyId: accessKey,
      accessKeySecret: secretKey,
      securityToken: nonEmpty(config("alicloud:securityToken")),
      origin: "stack config alicloud:accessKey/alicloud:secretKey",
    };
  }
  const profile = nonEmpty(config("alicloud:profile"));
  if (profile) return { kind: "profile", profile, origin: "stack config alicloud:profile" };
  // The official chain reads ALIBABA_CLOUD_ACCESS_KEY_ID first; Terraform users have ALICLOUD_* instead.
  if (!nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_ID)) {
    const id = nonEmpty(env.ALICLOUD_ACCESS_KEY);
    const secret = nonEmpty(env.ALICLOUD_SECRET_KEY);
    if (id && secret) {
      return {
        kind: "static",
        accessKeyId: id,
        accessKeySecret: secret,
        securityToken: nonEmpty(env.ALICLOUD_SECURITY_TOKEN),
        origin: "ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY",
      };
    }
    const envProfile = nonEmpty(env.ALICLOUD_PROFILE);
    if (envProfile && !nonEmpty(env.ALIBABA_CLOUD_PROFILE)) return { kind: "profile", profile: envProfile, origin: "ALICLOUD_PROFILE" };
  }
  return { kind: "chain", origin: "the Alibaba Cloud credential chain" };
}

/** Values that must never appear in state, logs or messages. */
export function secretsOf(settings: ProviderSettings): string[] {
  const c = settings.credentials;
  return c.kind === "static" ? [c.accessKeySecret, c.securityToken].filter((s): s is string => !!s) : [];
}
