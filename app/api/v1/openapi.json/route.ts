import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

// Public: a client generator needs the description before it has a key.
export const GET = () => NextResponse.json(openApiDocument);
