import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter, Event } from '../common/emitter';
import { AgentDefinition, AgentDefinitionError, parseAgentDefinition, serializeAgentDefinition } from './agent-definition';
import { WorkspaceDefaultAgents } from './role-agents';
import { AgentOverrides, applyAgentOverrides, environmentOverrides, readWorkspaceOverrides, WorkspaceSettingsFile } from './agent-overrides';

export type DefinitionChange =
    | { readonly kind: 'loaded'; readonly definition: AgentDefinition; readonly file: string }
    | { readonly kind: 'reloaded'; readonly definition: AgentDefinition; readonly file: string }
    | { readonly kind: 'invalid'; readonly agentId: string; readonly file: string; readonly error: string; readonly keptLastGood: boolean };

/** The workspace-relative folder of agent definition files. */
export const AgentDefinitionsFolder = '.coditect/agents';

/**
 * Agent definitions from `<workspace>/.coditect/agents/<id>.json`.
 *
 * Invariants:
 * - An invalid file never replaces a good definition: the last good one keeps running and the
 *   file's error is kept (`invalid()`) and announced until the file is fixed.
 * - The defaults (the four vendor agents and the role agents) are written when the folder holds no
 *   definition at all (a fresh workspace); a user who deletes one of them keeps it deleted.
 * - Changes are noticed by `fs.watch` (debounced) and, as a fallback for file systems without
 *   notifications, by `refresh()`, which the orchestrator calls at every task boundary.
 * - What `get()`/`list()` give is the effective definition: the file with the workspace
 *   preference `coditect.agents` and the environment laid over it (agent-overrides.ts). A
 *   malformed preference is reported like an invalid file, and the last good overrides stay.
 */
export class DefinitionStore {
    /** As read from the files. */
    protected readonly definitions = new Map<string, { definition: AgentDefinition; stamp: string }>();
    /** With the preference and environment applied: what agents run with. */
    protected readonly effective = new Map<string, AgentDefinition>();
    protected overrides: AgentOverrides = {};
    protected settingsStamp = '';
    protected settingsWatcher: fs.FSWatcher | undefined;
    protected readonly errors = new Map<string, { file: string; error: string; stamp: string }>();
    protected readonly changed = new Emitter<DefinitionChange>();
    readonly onChange: Event<DefinitionChange> = this.changed.event;
    protected watcher: fs.FSWatcher | undefined;
    protected debounce: NodeJS.Timeout | undefined;
    readonly folder: string;

    constructor(readonly workspaceDir: string) {
        this.folder = path.join(workspaceDir, AgentDefinitionsFolder);
    }

    /** Creates the defaults when needed, loads every file, and starts watching. */
    start(): void {
        fs.mkdirSync(this.folder, { recursive: true });
        if (!fs.readdirSync(this.folder).some(f => f.endsWith('.json'))) {
            for (const definition of WorkspaceDefaultAgents) {
                fs.writeFileSync(path.join(this.folder, `${definition.id}.json`), serializeAgentDefinition(definition));
            }
        }
        this.refresh();
        try {
            this.watcher = fs.watch(this.folder, () => this.scheduleRefresh());
            this.watcher.on('error', () => this.watcher?.close());
            const settingsFolder = path.dirname(path.join(this.workspaceDir, WorkspaceSettingsFile));
            if (fs.existsSync(settingsFolder)) {
                this.settingsWatcher = fs.watch(settingsFolder, () => this.scheduleRefresh());
                this.settingsWatcher.on('error', () => this.settingsWatcher?.close());
            }
        } catch {
            // No notifications here: task boundaries still refresh.
        }
    }

    dispose(): void {
        clearTimeout(this.debounce);
        this.watcher?.close();
        this.settingsWatcher?.close();
        this.changed.dispose();
    }

    list(): AgentDefinition[] {
        return [...this.effective.values()].sort((a, b) => a.id.localeCompare(b.id));
    }

    get(agentId: string): AgentDefinition | undefined {
        return this.effective.get(agentId);
    }

    /** Files that do not parse or validate, with the reason. */
    invalid(): { agentId: string; file: string; error: string }[] {
        return [...this.errors.entries()].map(([agentId, e]) => ({ agentId, file: e.file, error: e.error }));
    }

    protected scheduleRefresh(): void {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.refresh(), 50);
        this.debounce.unref();
    }

    /** Re-reads the files whose size or modification time changed. */
    refresh(): void {
        let names: string[];
        try {
            names = fs.readdirSync(this.folder).filter(f => f.endsWith('.json'));
        } catch {
            return;
        }
        for (const name of names) {
            const agentId = name.slice(0, -'.json'.length);
            const file = path.join(this.folder, name);
            let stamp: string;
            let text: string;
            try {
                const stat = fs.statSync(file);
                stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
                if (this.definitions.get(agentId)?.stamp === stamp || this.errors.get(agentId)?.stamp === stamp) {
                    continue;
                }
                text = fs.readFileSync(file, 'utf8');
            } catch {
                continue;
            }
            const relative = path.posix.join(AgentDefinitionsFolder, name);
            try {
                const definition = parseAgentDefinition(relative, agentId, text);
                this.definitions.set(agentId, { definition, stamp });
                this.errors.delete(agentId);
            } catch (error) {
                const message = error instanceof AgentDefinitionError ? error.message : `${relative}: ${(error as Error).message}`;
                this.errors.set(agentId, { file: relative, error: message, stamp });
                this.changed.fire({ kind: 'invalid', agentId, file: relative, error: message, keptLastGood: this.definitions.has(agentId) });
            }
        }
        this.refreshOverrides();
        this.publish();
    }

    /** Re-reads the workspace preference when its file changed; a malformed one keeps the last good overrides. */
    protected refreshOverrides(): void {
        const file = path.join(this.workspaceDir, WorkspaceSettingsFile);
        let stamp = 'absent';
        try {
            const stat = fs.statSync(file);
            stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
        } catch {
            // No workspace preferences: no overrides from them.
        }
        if (stamp === this.settingsStamp) {
            return;
        }
        this.settingsStamp = stamp;
        try {
            this.overrides = readWorkspaceOverrides(this.workspaceDir);
            this.errors.delete(SettingsErrorKey);
        } catch (error) {
            const message = (error as Error).message;
            this.errors.set(SettingsErrorKey, { file: WorkspaceSettingsFile, error: message, stamp });
            this.changed.fire({ kind: 'invalid', agentId: SettingsErrorKey, file: WorkspaceSettingsFile, error: message, keptLastGood: true });
        }
    }

    /** Recomputes every effective definition and announces those that changed. */
    protected publish(): void {
        let fromEnvironment: AgentOverrides = {};
        try {
            fromEnvironment = environmentOverrides([...this.definitions.keys()]);
        } catch (error) {
            this.errors.set('(environment)', { file: 'STUDIO_AGENT_* variables', error: (error as Error).message, stamp: '' });
        }
        for (const [agentId, { definition }] of this.definitions) {
            const relative = path.posix.join(AgentDefinitionsFolder, `${agentId}.json`);
            const next = applyAgentOverrides(definition, this.overrides[agentId], fromEnvironment[agentId]);
            const previous = this.effective.get(agentId);
            if (!previous || JSON.stringify(previous) !== JSON.stringify(next)) {
                this.effective.set(agentId, next);
                this.changed.fire({ kind: previous ? 'reloaded' : 'loaded', definition: next, file: relative });
            }
        }
    }
}

/** Where a malformed `coditect.agents` preference is reported among the invalid definitions. */
const SettingsErrorKey = '(workspace preferences)';
