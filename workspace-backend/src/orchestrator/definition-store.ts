import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter, Event } from '../common/emitter';
import { AgentDefinition, AgentDefinitionError, DefaultAgentDefinitions, parseAgentDefinition, serializeAgentDefinition } from './agent-definition';

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
 * - The four defaults are written when the folder holds no definition at all (a fresh workspace);
 *   a user who deletes one of them keeps it deleted.
 * - Changes are noticed by `fs.watch` (debounced) and, as a fallback for file systems without
 *   notifications, by `refresh()`, which the orchestrator calls at every task boundary.
 */
export class DefinitionStore {
    protected readonly definitions = new Map<string, { definition: AgentDefinition; stamp: string }>();
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
            for (const definition of DefaultAgentDefinitions) {
                fs.writeFileSync(path.join(this.folder, `${definition.id}.json`), serializeAgentDefinition(definition));
            }
        }
        this.refresh();
        try {
            this.watcher = fs.watch(this.folder, () => this.scheduleRefresh());
            this.watcher.on('error', () => this.watcher?.close());
        } catch {
            // No notifications here: task boundaries still refresh.
        }
    }

    dispose(): void {
        clearTimeout(this.debounce);
        this.watcher?.close();
        this.changed.dispose();
    }

    list(): AgentDefinition[] {
        return [...this.definitions.values()].map(d => d.definition).sort((a, b) => a.id.localeCompare(b.id));
    }

    get(agentId: string): AgentDefinition | undefined {
        return this.definitions.get(agentId)?.definition;
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
                const previous = this.definitions.get(agentId);
                this.definitions.set(agentId, { definition, stamp });
                this.errors.delete(agentId);
                if (!previous || JSON.stringify(previous.definition) !== JSON.stringify(definition)) {
                    this.changed.fire({ kind: previous ? 'reloaded' : 'loaded', definition, file: relative });
                }
            } catch (error) {
                const message = error instanceof AgentDefinitionError ? error.message : `${relative}: ${(error as Error).message}`;
                this.errors.set(agentId, { file: relative, error: message, stamp });
                this.changed.fire({ kind: 'invalid', agentId, file: relative, error: message, keptLastGood: this.definitions.has(agentId) });
            }
        }
    }
}
