// BSS OpenAPI 2017-12-14 (the billing API), served by the same server and gateway as ECS.
import type { Action } from "../actions/common";
import { queryAvailableInstances } from "./query-available-instances";

export const BSS_VERSION = "2017-12-14";

export const BSS_ACTIONS: Record<string, Action> = {
  QueryAvailableInstances: queryAvailableInstances,
};
