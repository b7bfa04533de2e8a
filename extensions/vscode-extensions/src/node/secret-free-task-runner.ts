import { withoutSecrets } from '@coditect/workspace-backend';
import { injectable } from '@theia/core/shared/inversify';
import { TerminalProcessOptions } from '@theia/process/lib/node';
import { TaskConfiguration } from '@theia/task/lib/common';
import { ProcessTaskRunner } from '@theia/task/lib/node/process/process-task-runner';

/**
 * Tasks (Terminal > Run Task, an extension's tasks) start without the backend's secret-named
 * variables, like terminals; what the task's own configuration sets in `options.env` is kept.
 */
@injectable()
export class SecretFreeProcessTaskRunner extends ProcessTaskRunner {
    protected override getResolvedCommand(taskConfig: TaskConfiguration): TerminalProcessOptions {
        const configured = { ...this.getOsSpecificCommand(taskConfig).options.env };
        const resolved = super.getResolvedCommand(taskConfig);
        return { ...resolved, options: { ...resolved.options, env: withoutSecrets(resolved.options?.env ?? process.env, configured) } };
    }
}
