// Stable entry point that serialized shims require by package name. Filled in by the controllers.
export {};
