import { ChatViewWidget } from '@theia/ai-chat-ui/lib/browser/chat-view-widget';
import { StudioViews } from '@coditect/studio-platform/common';
import { WelcomeViewList } from './studio-view-links';

/** The studio's views the welcome page offers, in this order, with the codicon each view's tab shows. */
export const WelcomeViews: WelcomeViewList = [
    { id: StudioViews.agentActivity, icon: 'hubot' },
    { id: StudioViews.taskQueue, icon: 'list-ordered' },
    { id: ChatViewWidget.ID, icon: 'comment-discussion' },
    { id: StudioViews.messageBus, icon: 'mail' },
    { id: StudioViews.locks, icon: 'lock' },
    { id: StudioViews.changes, icon: 'git-compare' },
    { id: StudioViews.sessionTimeline, icon: 'history' },
    { id: StudioViews.costDashboard, icon: 'graph' },
    { id: StudioViews.sqlConsole, icon: 'database' },
];
