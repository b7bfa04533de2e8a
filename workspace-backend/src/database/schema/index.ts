import { DatabaseName } from '../database-names';
import { Migration } from '../migrations';
import { agentsMigrations } from './agents-migrations';
import { locksMigrations } from './locks-migrations';
import { metricsMigrations } from './metrics-migrations';
import { sessionsMigrations } from './sessions-migrations';
import { tasksMigrations } from './tasks-migrations';
import { workspaceMigrations } from './workspace-migrations';

/** Every database's migrations, in order. A later issue adds its schema by appending to its database's list. */
export const databaseMigrations: Readonly<Record<DatabaseName, readonly Migration[]>> = {
    workspace: workspaceMigrations,
    agents: agentsMigrations,
    tasks: tasksMigrations,
    locks: locksMigrations,
    sessions: sessionsMigrations,
    metrics: metricsMigrations,
};
