export type Actor =
  | { type: "USER"; id: string; label: string }
  | { type: "API_KEY"; id: string; label: string }
  | { type: "SYSTEM"; label: string };

export const systemActor = (label: string): Actor => ({ type: "SYSTEM", label });
