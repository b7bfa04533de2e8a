/**
 * The ids of the studio's views (each widget's `id`, so its DOM element's id) and of the sign-in
 * page's form: what the tests select and what a layout restore finds. Declared once here, as the
 * platform's contribution points, so a renamed view cannot leave a selector or a reveal behind.
 */
export const StudioViews = {
    agentActivity: 'coditect-agent-activity',
    taskQueue: 'coditect-task-queue',
    locks: 'coditect-locks-view',
    sqlConsole: 'coditect-sql-console',
    costDashboard: 'coditect-cost-dashboard',
    sessionTimeline: 'coditect-session-timeline',
    changes: 'coditect-changes',
    messageBus: 'coditect-message-bus',
} as const;

/** The sign-in page's `<main>` (served by the backend before any view exists). */
export const LOGIN_PAGE_ID = 'coditect-login';
