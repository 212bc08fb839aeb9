import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";

// Structured JSON logs. Work done for a customer runs inside a context, so every line it logs
// (including each AWS call) carries the customer and entitlement ids without passing them around;
// a repository write carries every customer and entitlement of its batch.
export type LogContext = { customerId?: string; entitlementIds?: string[]; repositoryId?: string; customerIds?: string[] };

const context = new AsyncLocalStorage<LogContext>();
let root: Logger | undefined;

function createRoot(destination?: DestinationStream, level: string = env().LOG_LEVEL) {
  const options = { level, base: { service: "pullgate" }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** Sends logs to another stream (tests read them back). */
export function setLogDestination(destination: DestinationStream, level?: string) {
  root = createRoot(destination, level);
}

export function log(): Logger {
  root ??= createRoot();
  const current = context.getStore();
  return current ? root.child(current) : root;
}

export function withLogContext<T>(values: LogContext, fn: () => Promise<T>): Promise<T> {
  return context.run({ ...context.getStore(), ...values }, fn);
}
