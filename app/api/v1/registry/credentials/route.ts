import { answerRegistryCredentials } from "@/lib/api/registry-credentials-route";

// A pull token exchanged for short-lived registry credentials (docker-credential-pullgate asks here).
export const POST = answerRegistryCredentials;
