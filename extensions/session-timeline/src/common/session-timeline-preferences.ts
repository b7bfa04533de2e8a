import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { interfaces } from '@theia/core/shared/inversify';

export const TimelineFollowLivePreference = 'coditect.timeline.followLive';
export const TimelinePageSizePreference = 'coditect.timeline.pageSize';

export const SessionTimelinePreferenceSchema: PreferenceSchema = {
    properties: {
        [TimelineFollowLivePreference]: {
            type: 'boolean',
            default: true,
            description: 'Session Timeline: Follow Live. When the scrubber is at the end of the session being recorded, keep it there as new events arrive.',
        },
        [TimelinePageSizePreference]: {
            type: 'number',
            minimum: 50,
            maximum: 1000,
            default: 200,
            description: 'Session Timeline: Page Size. Events fetched at a time as you scroll or scrub.',
        },
    },
};

export interface SessionTimelineConfiguration {
    [TimelineFollowLivePreference]: boolean;
    [TimelinePageSizePreference]: number;
}

export const SessionTimelinePreferences = Symbol('SessionTimelinePreferences');
export type SessionTimelinePreferences = PreferenceProxy<SessionTimelineConfiguration>;

export function bindSessionTimelinePreferences(bind: interfaces.Bind): void {
    bind(SessionTimelinePreferences).toDynamicValue(ctx => createPreferenceProxy(ctx.container.get(PreferenceService), SessionTimelinePreferenceSchema)).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: SessionTimelinePreferenceSchema });
}
