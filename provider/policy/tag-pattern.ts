// Tag patterns of the policy pack's config: `key=value`, `*` matching any run of characters on either side,
// several patterns separated by commas (`env=prod,env=production,tier=critical*`). Tag keys and values are
// case-sensitive in Alibaba Cloud, and so is the match.

export const DEFAULT_TAG_PATTERN = "env=prod";

/** The JSON-schema pattern the pack's config is checked against by the CLI before the policy runs. */
export const TAG_PATTERN_SYNTAX = "^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$";

export interface TagMatcher {
  /** The first tag that matches, as `key=value`. */
  match(tags: Record<string, string>): string | undefined;
}

const glob = (text: string) => new RegExp(`^${text.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

export function tagMatcher(pattern: string): TagMatcher {
  const rules = pattern
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? { key: glob(p), value: glob("*") } : { key: glob(p.slice(0, eq)), value: glob(p.slice(eq + 1)) };
    });
  return {
    match(tags) {
      for (const [key, value] of Object.entries(tags)) {
        if (rules.some((r) => r.key.test(key) && r.value.test(value))) return `${key}=${value}`;
      }
      return undefined;
    },
  };
}
