import * as watcher from '@parcel/watcher';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Event } from '../common/emitter';
import { IGNORE_FILE, IgnoreRules, workspaceIgnoreRules } from '../file-sync/ignore-rules';
import type { LockOwner } from '../locks/lock-types';
import { isStudioConfiguration } from '../policy/workspace-paths';
import type { ChangeAuthor, FileChangeRecord } from './change-author';
import { ChangeAttributor } from './change-attributor';
import { AttributedChange, ChangeBatcher, DefaultBulkThreshold } from './change-batcher';
import { ChangeClaims, DefaultClaimMs } from './change-claims';
import { DefaultGitWindowMs, GitActivity } from './git-activity';
import { CommandActivity, DefaultCommandSettleMs, RunningCommands } from './running-commands';
import { logFor } from '../telemetry/logger';

/** What the studio's writers tell the watcher: their claims, and the agents' commands. */
export interface ChangeAttribution extends CommandActivity {
    /** `relativePath` is workspace-relative with `/`; see ChangeClaims. */
    claim(relativePath: string, author: ChangeAuthor, recordedByWriter: boolean): void;
}

export interface WorkspaceChangeWatcherOptions {
    readonly workspaceDir: string;
    /** Never watched when inside the workspace, like file sync's rules say. */
    readonly dataDir: string;
    /** More folders never watched (a directory replica). */
    readonly alsoIgnore?: readonly string[];
    readonly bulkThreshold?: number;
    readonly claimMs?: number;
    readonly commandSettleMs?: number;
    readonly gitWindowMs?: number;
}

/** Folders never watched at all (they are large or churn): dependencies, and git's object store. */
const UnwatchedGlobs = ['**/node_modules', '.git/objects', '.git/logs', '.git/lfs'];

/**
 * Watches the whole workspace (@parcel/watcher, its own subscription: file sync may be off) and
 * attributes every change to its author (change-attributor.ts). What it skips: file sync's rules
 * (`.studioignore` and the defaults: dependencies, build output, editor debris; ignore-rules.ts),
 * the data folder and a replica inside the workspace, `.coditect/` (the studio's configuration,
 * written by admins through the IDE) and `.git/` internals, which are only read for signs of git.
 */
export class WorkspaceChangeWatcher implements ChangeAttribution {
    protected readonly claims: ChangeClaims;
    protected readonly commands: RunningCommands;
    protected readonly attributor: ChangeAttributor;
    /** What is never recorded (file sync's rules, the data folder); reloaded when `.studioignore` changes. */
    readonly rules: IgnoreRules;
    /** The workspace folder, its real path. */
    readonly root: string;
    protected subscription: watcher.AsyncSubscription | undefined;
    protected failure: string | undefined;

    readonly onAttributed: Event<readonly AttributedChange[]>;
    readonly onRecords: Event<readonly FileChangeRecord[]>;

    constructor(protected readonly options: WorkspaceChangeWatcherOptions) {
        this.root = fs.realpathSync(options.workspaceDir);
        this.rules = workspaceIgnoreRules(this.root, realOrSame(options.dataDir), (options.alsoIgnore ?? []).map(realOrSame));
        this.claims = new ChangeClaims(Date.now, options.claimMs ?? DefaultClaimMs);
        this.commands = new RunningCommands(Date.now, options.commandSettleMs ?? DefaultCommandSettleMs);
        this.attributor = new ChangeAttributor({
            claims: this.claims, commands: this.commands,
            git: new GitActivity(options.gitWindowMs ?? DefaultGitWindowMs),
            batcher: new ChangeBatcher(options.bulkThreshold ?? DefaultBulkThreshold),
        });
        this.onAttributed = this.attributor.onAttributed;
        this.onRecords = this.attributor.onRecords;
    }

    async start(): Promise<void> {
        this.subscription = await watcher.subscribe(this.root, (error, events) => this.onWatch(error, events), {
            ignore: [...this.rules.alwaysIgnoredAbsolute(), ...UnwatchedGlobs],
        });
    }

    /** Announces what is still pending, then stops watching. */
    async stop(): Promise<void> {
        const subscription = this.subscription;
        this.subscription = undefined;
        await subscription?.unsubscribe().catch(() => undefined);
        this.attributor.flushAll();
        this.attributor.dispose();
    }

    /** Why watching failed, if it did (the watcher reports errors such as too many watches). */
    get error(): string | undefined {
        return this.failure;
    }

    claim(relativePath: string, author: ChangeAuthor, recordedByWriter: boolean): void {
        this.claims.claim(relativePath, author, recordedByWriter);
    }

    started(command: { readonly owner: LockOwner; readonly taskId?: number; readonly command: string }): { end(): void } {
        return this.commands.started(command);
    }

    protected onWatch(error: Error | null, events: watcher.Event[]): void {
        if (error) {
            this.failure = `Watching ${this.root} failed: ${error.message}`;
            logFor('file-changes').error(`${this.failure}`);
            return;
        }
        const at = Date.now();
        const seen = [];
        for (const event of events) {
            const rel = path.relative(this.root, event.path).split(path.sep).join('/');
            if (!rel || rel.startsWith('..') || isStudioConfiguration(rel)) {
                continue;
            }
            if (rel === IGNORE_FILE) {
                this.rules.reload();
            }
            // `.git/` is not in file sync's rules (it syncs the repository); here it is never recorded but read for git's marks.
            const git = rel === '.git' || rel.startsWith('.git/');
            // Whether an event's path was a folder is unknown (it may be gone): a path ignored either way is skipped.
            if (!git && (this.rules.ignores(rel) || this.rules.ignores(rel, true))) {
                continue;
            }
            seen.push({ path: rel, type: event.type, at });
        }
        this.attributor.observe(seen);
    }
}

function realOrSame(dir: string): string {
    try {
        return fs.realpathSync(dir);
    } catch {
        return path.resolve(dir);
    }
}
