// Verifies the ACS3-HMAC-SHA256 signature the official SDK computes (@alicloud/openapi-core
// Utils.getAuthorization): canonical request = method, path, the query sorted by key (keys raw, values
// percent-encoded), the signed headers (x-acs-*, host, content-type) as `name:value\n`, their names joined by
// ";", and the hex SHA-256 of the body; string to sign = "ACS3-HMAC-SHA256\n" + hex SHA-256 of that.
import crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ApiError } from "./errors";

export interface EmulatorKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** An STS key: requests must carry exactly this x-acs-security-token. */
  securityToken?: string;
  /** RAM-style action patterns its policy allows (default ["ecs:*", "emr:*"]); see ram.ts. */
  allow?: string[];
  /** Shorthand for allow ["ecs:Describe*", "emr:Get*", "emr:List*"] (the CLI's --read-only-key). */
  readOnly?: boolean;
}

/** The SDK's percent-encoding: encodeURIComponent plus !'()* . */
export function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/!/g, "%21").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\*/g, "%2A");
}

/** Decodes a raw query string without treating "+" as a space (the SDK encodes spaces as %20). */
export function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    try {
      out.set(decodeURIComponent(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1)));
    } catch {
      throw new ApiError(400, "InvalidParameter", `The query string is not correctly percent-encoded: ${part.slice(0, 40)}.`);
    }
  }
  return out;
}

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

/** The signature's own header, parsed; undefined when it is not an ACS3 Authorization at all. */
export function parseAuthorization(value: string | undefined): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec((value ?? "").trim());
  return m ? { accessKeyId: m[1], signedHeaders: m[2].split(";"), signature: m[3] } : undefined;
}

const NONCE_TTL_MS = 15 * 60_000;
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * Checks one request's credentials the way the gateway does, in its order: a signature at all, a known key,
 * the STS token, the signature itself, then (only for a correctly signed request, so a forged one cannot
 * burn a nonce) the timestamp and the nonce. Time here is real time: the SDK signs with the machine's clock,
 * not the emulator's settable one.
 */
export class Authenticator {
  private readonly nonces = new Map<string, number>();
  /** Keys the loaded fleet file declares, next to the ones the emulator was started with. */
  private fleetKeys: EmulatorKey[] = [];

  constructor(private readonly keys: EmulatorKey[]) {}

  setFleetKeys(keys: EmulatorKey[]): void {
    this.fleetKeys = keys;
  }

  verify(method: string, pathname: string, query: Map<string, string>, headers: IncomingHttpHeaders, body: Buffer): EmulatorKey {
    const auth = parseAuthorization(headers.authorization);
    if (!headers.authorization) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: the Authorization header is missing.");
    if (!auth) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: expected ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=….");
    const key = this.keys.find((k) => k.accessKeyId === auth.accessKeyId) ?? this.fleetKeys.find((k) => k.accessKeyId === auth.accessKeyId);
    if (!key) throw new ApiError(404, "InvalidAccessKeyId.NotFound", `Specified access key is not found: ${auth.accessKeyId}.`);

    const token = headers["x-acs-security-token"];
    if (key.securityToken !== undefined && token !== key.securityToken) {
      throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token you provided does not match the access key (or is missing).");
    }
    if (key.securityToken === undefined && token !== undefined) {
      throw new ApiError(400, "InvalidSecurityToken.Malformed", "A security token was sent with a permanent access key; only STS keys take one.");
    }
    const tokenKeyId = headers["x-acs-accesskey-id"];
    if (tokenKeyId !== undefined && tokenKeyId !== auth.accessKeyId) {
      throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "x-acs-accesskey-id does not match the access key in Authorization.");
    }

    const payloadHash = sha256(body);
    if (headers["x-acs-content-sha256"] !== payloadHash) {
      throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: x-acs-content-sha256 is missing or does not match the body.");
    }
    for (const required of ["host", "x-acs-action", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!auth.signedHeaders.includes(required)) {
        throw new ApiError(400, "IncompleteSignature", `The request signature does not conform to Aliyun standards: header ${required} is not signed.`);
      }
    }
    const canonicalHeaders = auth.signedHeaders
      .map((name) => {
        const v = headers[name];
        const values = (Array.isArray(v) ? v : [v ?? ""]).map((x) => String(x).trim()).sort();
        return `${name}:${values.join(",")}\n`;
      })
      .join("");
    const canonicalQuery = [...query.keys()]
      .sort()
      .map((k) => `${k}=${encodeValue(query.get(k) ?? "")}`)
      .join("&");
    const canonicalRequest = [method, pathname, canonicalQuery, canonicalHeaders, auth.signedHeaders.join(";"), payloadHash].join("\n");
    const expected = crypto.createHmac("sha256", key.accessKeySecret).update(`ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`).digest("hex");
    const a = Buffer.from(expected);
    const b = Buffer.from(auth.signature);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
      throw new ApiError(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.");
    }

    const date = Date.parse(String(headers["x-acs-date"] ?? ""));
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(headers["x-acs-date"])) || Number.isNaN(date)) {
      throw new ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted (yyyy-MM-ddTHH:mm:ssZ).");
    }
    const now = Date.now();
    if (Math.abs(now - date) > MAX_CLOCK_SKEW_MS) throw new ApiError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    const nonce = String(headers["x-acs-signature-nonce"]);
    for (const [n, at] of this.nonces) {
      if (now - at <= NONCE_TTL_MS) break; // insertion order is time order
      this.nonces.delete(n);
    }
    if (this.nonces.has(nonce)) throw new ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    this.nonces.set(nonce, now);
    return key;
  }

  clear(): void {
    this.nonces.clear();
  }
}
