export const TREE_KEY = ["plant", "tree"] as const;
