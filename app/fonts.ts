import localFont from "next/font/local";

// Self-hosted (from @fontsource-variable/inter): no font download at build or run time.
export const inter = localFont({
  src: "./inter-latin-wght.woff2",
  weight: "100 900",
  display: "swap",
  variable: "--font-inter",
});
