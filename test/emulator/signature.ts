// Verifies the ACS3-HMAC-SHA256 signature the official SDK computes (@alicloud/openapi-core
// getAuthorization): canonical request = method, path, sorted query (values percent-encoded), the signed
// headers (x-acs-*, host, content-type) as `name:value\n`, their names joined by ";", and the body hash.
import crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ApiError } from "./errors";

export interface EmulatorKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** An STS key: requests must carry this x-acs-security-token. */
  securityToken?: string;
  /** Mutating calls fail with Forbidden.RAM. */
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
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    out.set(key, eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1)));
  }
  return out;
}

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

export function verifySignature(
  method: string,
  pathname: string,
  query: Map<string, string>,
  headers: IncomingHttpHeaders,
  body: Buffer,
  keys: EmulatorKey[],
): EmulatorKey {
  const authorization = headers.authorization;
  if (!authorization) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: no Authorization header.");
  const m = /^ACS3-HMAC-SHA256\s+Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(authorization.trim());
  if (!m) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
  const [, accessKeyId, signedHeaderList, signature] = m;
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  if (key.securityToken !== undefined && headers["x-acs-security-token"] !== key.securityToken) {
    throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not match the access key.");
  }
  const payloadHash = sha256(body);
  if (headers["x-acs-content-sha256"] !== payloadHash) throw new ApiError(400, "IncompleteSignature", "x-acs-content-sha256 does not match the body.");
  const signedHeaders = signedHeaderList.split(";");
  const canonicalHeaders = signedHeaders
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
  const canonicalRequest = [method, pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(";"), payloadHash].join("\n");
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`;
  const expected = crypto.createHmac("sha256", key.accessKeySecret).update(stringToSign).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    throw new ApiError(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.");
  }
  return key;
}
