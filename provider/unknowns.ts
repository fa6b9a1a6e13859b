// Pulumi marks values not known during preview with this sentinel (see @pulumi/pulumi runtime/rpc).
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
