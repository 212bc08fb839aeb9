import type { Metadata } from "next";
import { cookies } from "next/headers";
import { TimeZoneProvider } from "@/components/ui/date-time";
import { knownTimeZone, TIME_ZONE_COOKIE } from "@/lib/time/zoned-format";
import { inter } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pullgate", template: "%s · Pullgate" },
  description: "Access to your container images",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const zone = knownTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <TimeZoneProvider zone={zone}>{children}</TimeZoneProvider>
      </body>
    </html>
  );
}
