import { CodeBlock } from "@/components/ui/code-block";
import type { InstructionBlock } from "@/lib/customers/pull-instructions";

export function PullInstructions({ blocks }: { blocks: InstructionBlock[] }) {
  return (
    <ol className="space-y-6">
      {blocks.map((b) => (
        <li key={b.id} className="space-y-2">
          <h3 className="font-semibold">{b.title}</h3>
          <p className="text-sm text-slate-600 dark:text-slate-300">{b.description}</p>
          <CodeBlock text={b.command} testId={`instruction-${b.id}`} what={`${b.title.replace(/^\d+\.\s*/, "")} command`} />
        </li>
      ))}
    </ol>
  );
}
