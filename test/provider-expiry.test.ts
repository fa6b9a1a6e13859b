import { describe, expect, it } from "vitest";
import {
  firstAutoRenewDeduction,
  formatEcsTime,
  insideAutoRenewWindow,
  nextAutoRenewDeduction,
  parseEcsTime,
  nextExpectedRenewDay,
} from "../provider/ecs/expiry";

describe("expiry rules", () => {
  it("parses and formats the API's minute-precision UTC time", () => {
    const t = parseEcsTime("2026-12-20T16:00Z")!;
    expect(t.toISOString()).toBe("2026-12-20T16:00:00.000Z");
    expect(formatEcsTime(t)).toBe("2026-12-20T16:00Z");
    expect(parseEcsTime("2026-12-20 16:00")).toBeUndefined();
    expect(parseEcsTime("")).toBeUndefined();
  });

  it("first deduction is 08:00 UTC+8 on the 9th day before expiry, in Beijing's calendar", () => {
    // 2026-12-20T16:00Z is 2026-12-21 00:00 in Beijing: nine days before is 2026-12-12, 08:00 +08 = 00:00Z.
    expect(firstAutoRenewDeduction(parseEcsTime("2026-12-20T16:00Z")!).toISOString()).toBe("2026-12-12T00:00:00.000Z");
    // 2026-12-20T15:59Z is still 2026-12-20 in Beijing.
    expect(firstAutoRenewDeduction(parseEcsTime("2026-12-20T15:59Z")!).toISOString()).toBe("2026-12-11T00:00:00.000Z");
  });

  it("after the first attempt passes, auto-renew retries daily at 08:00 UTC+8 until expiry", () => {
    const expiry = parseEcsTime("2026-12-20T16:00Z")!;
    expect(nextAutoRenewDeduction(expiry, new Date("2026-11-22T10:00:00Z"))!.toISOString()).toBe("2026-12-12T00:00:00.000Z");
    expect(insideAutoRenewWindow(expiry, new Date("2026-11-22T10:00:00Z"))).toBe(false);
    // 2026-12-15T03:00Z is 11:00 in Beijing: the next try is tomorrow 08:00 +08.
    expect(nextAutoRenewDeduction(expiry, new Date("2026-12-15T03:00:00Z"))!.toISOString()).toBe("2026-12-16T00:00:00.000Z");
    expect(insideAutoRenewWindow(expiry, new Date("2026-12-15T03:00:00Z"))).toBe(true);
    // After the last morning before expiry there is no attempt left.
    expect(nextAutoRenewDeduction(expiry, new Date("2026-12-20T12:00:00Z"))).toBeUndefined();
  });

  it("renews to the unified expiration day at 00:00 UTC+8, at least a calendar month on (Alibaba Cloud's example, day 12)", () => {
    const beijing = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
    expect(beijing(nextExpectedRenewDay(new Date("2018-10-07T16:00Z"), 12))).toBe("2018-11-12T00:00"); // from 8 October
    expect(beijing(nextExpectedRenewDay(new Date("2018-10-17T16:00Z"), 12))).toBe("2018-12-12T00:00"); // from 18 October
    expect(beijing(nextExpectedRenewDay(new Date("2018-09-09T16:00Z"), 1))).toBe("2018-11-01T00:00"); // from 10 September, day 1
    expect(beijing(nextExpectedRenewDay(new Date("2018-10-11T16:00Z"), 12))).toBe("2018-11-12T00:00"); // from 12 October: exactly a month
  });
});
