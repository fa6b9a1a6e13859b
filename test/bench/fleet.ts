import type { FleetFile } from "../emulator";

/** n PrePaid instances expiring 30–120 days out, as the bench project names them. */
export function benchFleet(n: number): FleetFile {
  return {
    balance: 1_000_000,
    instances: Array.from({ length: n }, (_, k) => ({
      instanceId: `i-bench${String(k + 1).padStart(10, "0")}`,
      regionId: "cn-hangzhou",
      expiresInDays: 30 + (k % 90),
      renewalStatus: "Normal" as const,
      monthlyPrice: 100,
    })),
  };
}
