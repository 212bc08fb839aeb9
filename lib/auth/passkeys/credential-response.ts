import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { AppError } from "@/lib/errors";
import { assertCleanJson } from "@/lib/validation/strict-input";

// A real response is a few kilobytes at most.
const MAX_RESPONSE = 32_000;

const invalid = () => new AppError("INVALID_INPUT", "The passkey's answer could not be read. Try again.");

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (o: Record<string, unknown>, keys: string[]) => keys.every((k) => typeof o[k] === "string" && (o[k] as string).length > 0);

function parsed(json: unknown) {
  if (typeof json !== "string" || json.length > MAX_RESPONSE) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (!isRecord(value) || !isRecord(value.response) || value.type !== "public-key" || !strings(value, ["id", "rawId"])) throw invalid();
  if (!strings(value.response, ["clientDataJSON"])) throw invalid();
  assertCleanJson(value);
  return value as Record<string, unknown> & { response: Record<string, unknown> };
}

/** The browser's answer to navigator.credentials.create, read strictly (the library checks the rest). */
export function registrationResponseOf(json: unknown): RegistrationResponseJSON {
  const value = parsed(json);
  if (!strings(value.response, ["attestationObject"])) throw invalid();
  if (value.response.transports !== undefined && !(Array.isArray(value.response.transports) && value.response.transports.every((t) => typeof t === "string"))) throw invalid();
  return value as unknown as RegistrationResponseJSON;
}

/** The browser's answer to navigator.credentials.get, read strictly. */
export function authenticationResponseOf(json: unknown): AuthenticationResponseJSON {
  const value = parsed(json);
  if (!strings(value.response, ["authenticatorData", "signature"])) throw invalid();
  return value as unknown as AuthenticationResponseJSON;
}
