export * from "./common.ts";
export * from "./config.ts";
export * from "./extract.ts";
export * from "./indicator.ts";
export * from "./mapping.ts";
export * from "./partners.ts";
export * from "./privacy.ts";
export * from "./vocabulary.ts";
