import { isStudioConfiguration, personPrincipal, relativeInsideWorkspace, WorkspacePaths, type WorkspaceCore } from '@coditect/workspace-backend';
import { AgentOverridesPreference, WorkspaceSettingsFile } from '@coditect/workspace-backend';
import type { StudioUser } from '@coditect/studio-platform/common';
import { parse as parseJsonc } from 'jsonc-parser';

/** Thrown when a person without the admin role changes agent configuration; the message says what and why. */
export class ConfigurationPermissionError extends Error { }

/**
 * Agent configuration is admin-only: the `.coditect/` folder (definitions, workflows, prices)
 * and the `coditect.agents` workspace preference. Other preferences in the same settings file
 * stay everyone's. The policy decides (`agent.configure`) and audits every change, allowed or refused.
 *
 * `before`/`after` are the settings file's contents around a write (undefined when it is absent or deleted).
 */
export function assertMayChangeConfiguration(core: WorkspaceCore, user: StudioUser, file: string, change: { readonly before?: string; readonly after?: string }): void {
    const relative = relativeInside(core.config.workspaceDir, file);
    if (relative === undefined) {
        return;
    }
    const what = isStudioConfiguration(relative) ? relative
        : relative === WorkspaceSettingsFile && agentsSetting(change.before) !== agentsSetting(change.after) ? `${AgentOverridesPreference} in ${relative}` : undefined;
    if (!what) {
        return;
    }
    const decision = core.policy.decide(personPrincipal(user), 'agent.configure', { target: what });
    if (!decision.allowed) {
        throw new ConfigurationPermissionError(`${what} is agent configuration (definitions, workflows, prices, per-agent settings): ${decision.reason}`);
    }
}

/** Whether a write to `file` can be judged only with its whole new content (the settings file's `coditect.agents`), not by its path. */
export function judgedByWholeContent(workspaceDir: string, file: string): boolean {
    return relativeInside(workspaceDir, file) === WorkspaceSettingsFile;
}

/** The `coditect.agents` value as canonical JSON, for comparing before and after. */
function agentsSetting(text: string | undefined): string {
    if (text === undefined) {
        return 'null';
    }
    const settings = parseJsonc(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
    return JSON.stringify(settings?.[AgentOverridesPreference] ?? null);
}

function relativeInside(workspaceDir: string, file: string): string | undefined {
    return relativeInsideWorkspace(new WorkspacePaths(workspaceDir), file);
}
