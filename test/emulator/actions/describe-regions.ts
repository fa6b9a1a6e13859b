// DescribeRegions: the regions an account can use. No RegionId, no RAM permission; AcceptLanguage picks the
// LocalName. Which regions: the fleet's `regions`, else the public regions of the China site plus any region
// the fleet's instances or subscriptions live in.
import { ApiError } from "../errors";
import type { Action } from "./common";

/** Public regions of the China site, with their names in zh-CN and en-US (the "Regions and zones" page). */
export const PUBLIC_REGIONS: ReadonlyArray<{ id: string; zh: string; en: string }> = [
  { id: "cn-qingdao", zh: "华北1（青岛）", en: "China (Qingdao)" },
  { id: "cn-beijing", zh: "华北2（北京）", en: "China (Beijing)" },
  { id: "cn-zhangjiakou", zh: "华北3（张家口）", en: "China (Zhangjiakou)" },
  { id: "cn-huhehaote", zh: "华北5（呼和浩特）", en: "China (Hohhot)" },
  { id: "cn-wulanchabu", zh: "华北6（乌兰察布）", en: "China (Ulanqab)" },
  { id: "cn-hangzhou", zh: "华东1（杭州）", en: "China (Hangzhou)" },
  { id: "cn-shanghai", zh: "华东2（上海）", en: "China (Shanghai)" },
  { id: "cn-nanjing", zh: "华东5（南京-本地地域）", en: "China (Nanjing - Local Region)" },
  { id: "cn-fuzhou", zh: "华东6（福州-本地地域）", en: "China (Fuzhou - Local Region)" },
  { id: "cn-shenzhen", zh: "华南1（深圳）", en: "China (Shenzhen)" },
  { id: "cn-heyuan", zh: "华南2（河源）", en: "China (Heyuan)" },
  { id: "cn-guangzhou", zh: "华南3（广州）", en: "China (Guangzhou)" },
  { id: "cn-chengdu", zh: "西南1（成都）", en: "China (Chengdu)" },
  { id: "cn-hongkong", zh: "中国香港", en: "China (Hong Kong)" },
  { id: "ap-northeast-1", zh: "日本（东京）", en: "Japan (Tokyo)" },
  { id: "ap-northeast-2", zh: "韩国（首尔）", en: "South Korea (Seoul)" },
  { id: "ap-southeast-1", zh: "新加坡", en: "Singapore" },
  { id: "ap-southeast-3", zh: "马来西亚（吉隆坡）", en: "Malaysia (Kuala Lumpur)" },
  { id: "ap-southeast-5", zh: "印度尼西亚（雅加达）", en: "Indonesia (Jakarta)" },
  { id: "ap-southeast-6", zh: "菲律宾（马尼拉）", en: "Philippines (Manila)" },
  { id: "ap-southeast-7", zh: "泰国（曼谷）", en: "Thailand (Bangkok)" },
  { id: "us-east-1", zh: "美国（弗吉尼亚）", en: "US (Virginia)" },
  { id: "us-west-1", zh: "美国（硅谷）", en: "US (Silicon Valley)" },
  { id: "eu-west-1", zh: "英国（伦敦）", en: "UK (London)" },
  { id: "eu-central-1", zh: "德国（法兰克福）", en: "Germany (Frankfurt)" },
  { id: "me-east-1", zh: "阿联酋（迪拜）", en: "UAE (Dubai)" },
  { id: "me-central-1", zh: "沙特（利雅得）", en: "Saudi Arabia (Riyadh)" },
];

const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** A fleet's `regions`: the account's region list, replacing the public one. */
export function fleetRegions(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((r) => typeof r !== "string" || !REGION_ID.test(r))) {
    throw new Error(`a fleet's "regions" must be an array of region ids such as "cn-hangzhou", not ${JSON.stringify(value)}`);
  }
  return [...new Set(value as string[])];
}

const LANGUAGES = ["zh-CN", "zh-TW", "en-US", "ja", "fr", "de", "ko"];
const CHARGE_TYPES = ["PrePaid", "PostPaid", "SpotWithPriceLimit", "SpotAsPriceGo"];
const RESOURCE_TYPES = ["instance", "disk", "reservedinstance", "scu"];

function oneOf(name: string, value: string | undefined, allowed: string[]): void {
  if (value !== undefined && value !== "" && !allowed.includes(value)) {
    throw new ApiError(400, `InvalidParameter.${name}`, `The specified parameter ${name} is not valid: ${value}; use one of ${allowed.join(", ")}.`);
  }
}

export const describeRegions: Action = (ctx) => {
  const language = ctx.params.get("AcceptLanguage") || "zh-CN";
  oneOf("AcceptLanguage", language, LANGUAGES);
  oneOf("InstanceChargeType", ctx.params.get("InstanceChargeType"), CHARGE_TYPES);
  oneOf("ResourceType", ctx.params.get("ResourceType"), RESOURCE_TYPES);
  const state = ctx.state;
  let ids = state.regions;
  if (!ids) {
    const used = [...state.instances.values()].map((i) => i.regionId).concat([...state.subscriptions.values()].map((s) => s.region));
    ids = [...new Set([...PUBLIC_REGIONS.map((r) => r.id), ...used])];
  }
  const chinese = language.startsWith("zh");
  return {
    Regions: {
      Region: ids.map((id) => {
        const known = PUBLIC_REGIONS.find((r) => r.id === id);
        return { RegionId: id, LocalName: known ? (chinese ? known.zh : known.en) : id, RegionEndpoint: `ecs.${id}.aliyuncs.com`, Status: "available" };
      }),
    },
  };
};
