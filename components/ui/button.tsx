import type { ButtonHTMLAttributes } from "react";
import { focusRing } from "./styles";

const variants = {
  primary: "bg-indigo-700 text-white hover:bg-indigo-800 dark:bg-indigo-600 dark:hover:bg-indigo-500",
  secondary:
    "border border-slate-500 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-400 dark:bg-slate-900 dark:text-white dark:hover:bg-slate-800",
  danger: "bg-red-700 text-white hover:bg-red-800",
} as const;

export type ButtonVariant = keyof typeof variants;

export function buttonClass(variant: ButtonVariant = "primary", size: "sm" | "md" = "md") {
  const pad = size === "sm" ? "px-3 py-1.5 text-sm" : "px-4 py-2 text-sm";
  return `inline-flex items-center justify-center gap-2 rounded-md font-semibold disabled:cursor-not-allowed disabled:opacity-60 ${pad} ${variants[variant]} ${focusRing}`;
}

type Props = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: "sm" | "md" };

export function Button({ variant = "primary", size = "md", className = "", type = "button", ...props }: Props) {
  return <button type={type} {...props} className={`${buttonClass(variant, size)} ${className}`} />;
}
