import { CodeBlock } from "@/components/ui/code-block";
import type { InstructionPlatform } from "@/lib/customers/pull-instructions";

/**
 * One disclosure per platform, the first open: native <details> works by keyboard and screen
 * reader with no client code.
 */
export function PullInstructions({ blocks }: { blocks: InstructionPlatform[] }) {
  return (
    <div className="divide-y divide-slate-200 dark:divide-slate-700">
      {blocks.map((platform, index) => (
        <details key={platform.id} open={index === 0} className="py-3 first:pt-0 last:pb-0">
          <summary className="cursor-pointer rounded py-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-300">
            <h3 className="inline font-semibold">{platform.title}</h3>
          </summary>
          <ol className="mt-3 space-y-6">
            {platform.steps.map((step) => (
              <li key={step.id} className="space-y-2">
                <h4 className="font-medium">{step.title}</h4>
                <p className="text-sm text-slate-600 dark:text-slate-300">{step.description}</p>
                <CodeBlock text={step.command} testId={`instruction-${step.id}`} what={`${platform.title}: ${step.title}`} />
              </li>
            ))}
          </ol>
        </details>
      ))}
    </div>
  );
}
