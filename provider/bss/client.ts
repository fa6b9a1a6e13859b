// The BSS (billing) OpenAPI client: the account's subscriptions of every product through QueryAvailableInstances.
// One shared SDK client, bounded concurrency, and the credentials, endpoint override, retries and error
// mapping the ECS client uses.

import { ApiClient, openApiConfig } from "../ecs/client";
import { retryableForIdempotentCall } from "../ecs/errors";
import { Semaphore } from "../ecs/retry";
import { describeBssError } from "./errors";

type SdkModule = typeof import("@alicloud/bssopenapi20171214");
type SdkClient = InstanceType<SdkModule["default"]>;

/** One row of QueryAvailableInstances, as the SDK model names it. */
export interface BssInstance {
  productCode: string;
  productType?: string;
  instanceId: string;
  region?: string;
  subscriptionType?: string;
  /** ISO 8601 UTC, as BSS writes it (`yyyy-MM-ddTHH:mm:ssZ`). */
  endTime?: string;
  expectedReleaseTime?: string;
  /** AutoRenewal, ManualRenewal or NotRenewal. */
  renewStatus?: string;
  renewalDuration?: number;
  /** M (month) or Y (year). */
  renewalDurationUnit?: string;
  status?: string;
}

export interface BssQuery {
  productCode?: string;
  subscriptionType?: "Subscription" | "PayAsYouGo";
  /** `yyyy-MM-ddTHH:mm:ssZ`, UTC; the window is on the end time. */
  endTimeStart?: string;
  endTimeEnd?: string;
}

/** BSS's documented maximum page size. */
const PAGE_SIZE = 300;
/**
 * BSS has one endpoint per site, not per region: the SDK maps this region to the China site's
 * business.aliyuncs.com whatever region the resources are in (the account's own region could map an
 * ap-* region to the international site's endpoint). International accounts set bssEndpoint.
 */
const SITE_REGION = "cn-hangzhou";

export class BssApi extends ApiClient {
  private entry?: { client: SdkClient; gate: Semaphore };

  private sdk(): SdkModule {
    return require("@alicloud/bssopenapi20171214") as SdkModule;
  }

  private client(): { client: SdkClient; gate: Semaphore } {
    this.entry ??= {
      client: new (this.sdk().default)(openApiConfig(this.settings, SITE_REGION, this.settings.bssEndpoint)),
      gate: new Semaphore(this.options.concurrency || 10),
    };
    return this.entry;
  }

  private async page(query: BssQuery, pageNum: number) {
    const { client, gate } = this.client();
    const { QueryAvailableInstancesRequest } = this.sdk();
    const ctx = { action: "QueryAvailableInstances", service: "BSS", instanceIds: [] };
    const res = await this.run(
      gate,
      ctx,
      async (runtime) => {
        const answer = await client.queryAvailableInstancesWithOptions(new QueryAvailableInstancesRequest({ ...query, pageNum, pageSize: PAGE_SIZE }), runtime as never);
        // BSS may answer 200 with Success false: that is an error too, with its code.
        if (answer.body?.success === false) throw Object.assign(new Error(answer.body.message ?? "Success: false"), { code: answer.body.code, statusCode: 400, data: { RequestId: answer.body.requestId, Code: answer.body.code, Message: answer.body.message } });
        return answer;
      },
      retryableForIdempotentCall,
      describeBssError,
    );
    return res.body?.data;
  }

  /** Every matching instance: the first page says how many, the rest are read concurrently. */
  async queryAvailableInstances(query: BssQuery = {}): Promise<BssInstance[]> {
    const first = await this.page(query, 1);
    const total = first?.totalCount ?? 0;
    const more = await Promise.all(Array.from({ length: Math.max(0, Math.ceil(total / PAGE_SIZE) - 1) }, (_, n) => this.page(query, n + 2)));
    const out: BssInstance[] = [];
    for (const data of [first, ...more]) {
      for (const r of data?.instanceList ?? []) {
        if (!r.instanceID || !r.productCode) continue;
        out.push({
          productCode: r.productCode,
          productType: r.productType || undefined,
          instanceId: r.instanceID,
          region: r.region || undefined,
          subscriptionType: r.subscriptionType || undefined,
          endTime: r.endTime || undefined,
          expectedReleaseTime: r.expectedReleaseTime || undefined,
          renewStatus: r.renewStatus || undefined,
          renewalDuration: r.renewalDuration,
          renewalDurationUnit: r.renewalDurationUnit || undefined,
          status: r.status || undefined,
        });
      }
    }
    return out;
  }
}
