import { readFileSync } from "node:fs";
import path from "node:path";

/** The signed-in roles the specs can take on, each with one stored session. */
export const ROLES = ["admin", "viewer", "customer"] as const;
export type Role = (typeof ROLES)[number];

const stateDir = path.resolve(".pullgate/e2e/state");

/** A role's cookies, written by roles.setup.ts, for `test.use({ storageState })`. */
export const storageState = (role: Role) => path.join(stateDir, `${role}.json`);

/** Rows the setup created, for routes that name one. */
export type SeededRows = { customerId: string; entitlementId: string; bulkOperationId: string };
export const seededRowsFile = path.join(stateDir, "seeded.json");
export const seededRows = (): SeededRows => JSON.parse(readFileSync(seededRowsFile, "utf8")) as SeededRows;
