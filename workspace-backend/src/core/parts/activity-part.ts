import type { CorePartOf } from '../core-context';
import { WorkspaceActivity } from '../workspace-activity';

/** What the agents are doing, for /health's activity (the fleet's auto-sleep). After the costs, whose budgets it reads when asked. */
export const ActivityPart: CorePartOf<'activity'> = {
    id: 'activity', label: 'Activity', needs: ['orchestrator'],
    start(_context, parts) {
        return new WorkspaceActivity(parts.get('orchestrator'), () => parts.find('costs'));
    },
    stop: activity => activity.dispose(),
};
