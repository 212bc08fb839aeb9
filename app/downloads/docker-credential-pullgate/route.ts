import { credentialHelperScript } from "@/lib/pull-tokens/pull-tokens-view";

/** The credential helper the pull token instructions install: public, it holds no secret. */
export function GET() {
  return new Response(credentialHelperScript(), {
    headers: {
      "content-type": "text/x-shellscript; charset=utf-8",
      "content-disposition": 'attachment; filename="docker-credential-pullgate"',
    },
  });
}
