// Public API of pulumi-alicloud-renewal. Filled in by the resource modules.
export {};
