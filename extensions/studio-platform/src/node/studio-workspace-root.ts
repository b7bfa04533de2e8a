import * as fs from 'node:fs';
import * as yargs from '@theia/core/shared/yargs';
import { injectable } from '@theia/core/shared/inversify';
import { WorkspaceCliContribution } from '@theia/workspace/lib/node/default-workspace-server';
import { ConfigError, resolveWorkspaceConfig, WorkspaceConfig } from '@coditect/workspace-backend';

/** How the backend takes its workspace folder, as the messages name it. */
export const WORKSPACE_ARGUMENT = 'the folder argument (main.js <folder>)';

/** The exit code of a start refused for its configuration (sysexits' EX_CONFIG, as the authentication's refusal). */
export const CONFIG_EXIT_CODE = 78;

export const StudioWorkspaceRoot = Symbol('StudioWorkspaceRoot');
/**
 * The one workspace folder of this backend: the folder Theia's editor opens and the folder the
 * workspace core's agents, locks and file sync work on.
 */
export interface StudioWorkspaceRoot {
    /** Where the core keeps things; decided once, when the command line is parsed, before any contribution exists. */
    readonly config: WorkspaceConfig;
}

/**
 * Takes the place of Theia's `WorkspaceCliContribution`, which both `DefaultWorkspaceServer` (what
 * the editor opens) and this extension's core host read, so the two cannot disagree.
 *
 * The folder argument and STUDIO_WORKSPACE are decided by `resolveWorkspaceConfig` (the one rule:
 * the argument, else the variable; two different folders or none are refused). Theia's own
 * fallbacks are closed off: no most-recent workspace (the editor would open a folder the core does
 * not serve) and no multi-root workspace from several arguments (the core has one root).
 *
 * Invariant: a start the rule refuses ends here, with the reason on stderr and exit code 78,
 * before any contribution is created: nothing has touched a folder yet.
 */
@injectable()
export class StudioWorkspaceRootImpl extends WorkspaceCliContribution implements StudioWorkspaceRoot {

    protected resolved: WorkspaceConfig | undefined;

    get config(): WorkspaceConfig {
        if (!this.resolved) {
            throw new Error('The studio\'s workspace folder was asked for before the command line was parsed; '
                + 'read StudioWorkspaceRoot.config from a contribution, not while the modules load.');
        }
        return this.resolved;
    }

    override async setArguments(args: yargs.Arguments): Promise<void> {
        try {
            this.resolved = this.resolve(args);
        } catch (error) {
            if (error instanceof ConfigError) {
                this.refuseToStart(error.message);
            }
            throw error;
        }
        this.workspaceRoot.resolve(this.resolved.workspaceDir);
    }

    protected resolve(args: yargs.Arguments): WorkspaceConfig {
        const folders = args._.map(String);
        if (folders.length === 0 && args['root-dir'] !== undefined) {
            folders.push(String(args['root-dir'])); // Theia's deprecated spelling of the same argument
        }
        if (folders.length > 1) {
            throw new ConfigError(`${folders.length} workspace folders were given (${folders.join(', ')}), but the studio works on one `
                + `folder: give exactly one as ${WORKSPACE_ARGUMENT}, or set STUDIO_WORKSPACE alone.`);
        }
        const config = resolveWorkspaceConfig({ workspaceDir: folders[0], workspaceOption: WORKSPACE_ARGUMENT }, this.environment(), this.currentFolder());
        if (fs.statSync(config.workspaceDir, { throwIfNoEntry: false })?.isDirectory() === false) {
            throw new ConfigError(`The workspace ${config.workspaceDir} is a file, not a folder (Theia's .theia-workspace files are not supported): `
                + `give the folder to work on as ${WORKSPACE_ARGUMENT} or as STUDIO_WORKSPACE.`);
        }
        return config;
    }

    /** Says why on stderr and exits; overridden by specs. */
    protected refuseToStart(reason: string): never {
        // Written straight to the descriptor: Theia routes console output through its asynchronous logger, which would not flush before the exit.
        fs.writeSync(2, `[studio] refusing to start: ${reason}\n`);
        process.exit(CONFIG_EXIT_CODE);
    }

    protected environment(): NodeJS.ProcessEnv {
        return process.env;
    }

    protected currentFolder(): string {
        return process.cwd();
    }
}
