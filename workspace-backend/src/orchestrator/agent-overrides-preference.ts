/**
 * The workspace preference holding the agents' overrides (read by agent-overrides.ts), and the file
 * Theia keeps workspace preferences in. Its own module, without imports, so the extensions' browser
 * code names the same preference through the browser-safe entry (types.ts).
 */
export const AgentOverridesPreference = 'coditect.agents';
export const WorkspaceSettingsFile = '.theia/settings.json';
