/** What `/workflow <name> <input>` (or `@Workflow <name> <input>`) asks for; a bare one lists the workflows. */
export type WorkflowRequest = { readonly kind: 'run'; readonly name: string; readonly input: string } | { readonly kind: 'help' };

/** The chat's slash command that starts a workflow run. */
export const WorkflowCommandName = 'workflow';

/** Reads the request as typed: an `@Workflow` mention and the `/workflow` command are left out, then the name, then the rest as the input. */
export function parseWorkflowRequest(text: string): WorkflowRequest {
    const rest = text.trim().replace(/^@[\w\-.]+\s*/, '').replace(new RegExp(`^/${WorkflowCommandName}(\\s+|$)`), '').trim();
    const match = /^(\S+)\s*([\s\S]*)$/.exec(rest);
    return match ? { kind: 'run', name: match[1], input: match[2].trim() } : { kind: 'help' };
}
