// The wire contracts the pages read, named from the types generated out of the server's OpenAPI document
// (src/generated/api.ts, made at build time). A field renamed on the server breaks the type check, not a screen.
import type { components } from "../generated/api";

/** Every schema of the OpenAPI document, for answers a single page reads. */
export type Schemas = components["schemas"];

export type BoardSnapshot = Schemas["BoardSnapshot"];
export type BoardPage = BoardSnapshot["pages"][number];
export type BoardTile = BoardSnapshot["tiles"][number];
export type TileStaffing = NonNullable<BoardTile["staffing"]>;
export type IntradayPoint = BoardTile["intraday"][number];
export type TileAnnotation = BoardTile["annotations"][number];
export type BoardChange = Schemas["BoardChange"];
export type TileChange = BoardChange["tiles"][number];
export type AlertView = Schemas["AlertView"];
export type CallbackCandidate = Schemas["CallbackCandidate"];

/** The KPI units the catalogue uses (snake_case on the wire). */
export type KpiUnit = Schemas["KpiUnit"];

/** The tile and cell statuses the server sends. */
export type Status = "on-target" | "near-target" | "off-target" | "no-data" | "no-target";
