import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../lib/repo-paths';

/** The price table (docs/fleet-prices.json): data with its date, so a new price is a change of that file alone. */
export interface FleetPrices {
    readonly pricesAsOf: string;
    readonly autopilot: Record<'regular' | 'spot', { readonly vcpuHour: number; readonly gibHour: number }>;
    readonly disk: { readonly pdSsdGibMonth: number; readonly pdBalancedGibMonth: number };
    readonly storage: { readonly standardGibMonth: number; readonly nearlineGibMonth: number };
    readonly egressGib: number;
    readonly fixedMonthly: { readonly clusterManagement: number; readonly loadBalancer: number };
}

export function readFleetPrices(file = path.join(repoRoot, 'docs', 'fleet-prices.json')): FleetPrices {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FleetPrices;
}

/**
 * How people use their workspaces, stated (docs/fleet.md shows it): the share of users at work in
 * each hour of a weekday (one time zone; a spread of zones flattens the peak and changes no total),
 * weekends at a fraction of that, two sessions a working day, agents working on after the tab
 * closes for a tenth of the active time, and what each workspace stores and sends.
 */
export interface UsageScenario {
    readonly weekdayActiveShare: readonly number[];
    readonly weekendFactor: number;
    readonly weekdaysPerMonth: number;
    readonly weekendDaysPerMonth: number;
    /** Share of users who work at all on a weekday (their sessions end in an idle tail each). */
    readonly usersActiveOnWeekday: number;
    readonly sessionsPerActiveDay: number;
    /** Agents run on after the person leaves, as a share of the active hours. */
    readonly agentShareOfActive: number;
    /** The workspace's size: its pod's requests (Autopilot bills requests) and volume. */
    readonly vcpu: number;
    readonly memoryGib: number;
    readonly volumeGib: number;
    readonly volumeClass: 'pdSsd' | 'pdBalanced';
    readonly capacity: 'regular' | 'spot';
    /** The bucket: the current replica and files (Standard) and older generations (Nearline after 30 days). */
    readonly bucketStandardGib: number;
    readonly bucketNearlineGib: number;
    readonly egressGibPerActiveHour: number;
    /** The fleet service and its router: one pod, always on. */
    readonly fleetVcpu: number;
    readonly fleetMemoryGib: number;
}

/** A working day: quiet nights, a morning ramp, a lunch dip, an evening tail. */
export const DiurnalWeekday: readonly number[] = [
    0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.05, 0.25, 0.50, 0.60, 0.60,
    0.45, 0.60, 0.60, 0.60, 0.60, 0.40, 0.20, 0.10, 0.10, 0.10, 0.03, 0.03,
];

export const DefaultScenario: UsageScenario = {
    weekdayActiveShare: DiurnalWeekday, weekendFactor: 0.15, weekdaysPerMonth: 22, weekendDaysPerMonth: 8.4,
    usersActiveOnWeekday: 0.9, sessionsPerActiveDay: 2, agentShareOfActive: 0.1,
    vcpu: 1, memoryGib: 2, volumeGib: 10, volumeClass: 'pdSsd', capacity: 'regular',
    bucketStandardGib: 2, bucketNearlineGib: 3, egressGibPerActiveHour: 0.05,
    fleetVcpu: 1, fleetMemoryGib: 2,
};

export interface MonthlyCost {
    readonly users: number;
    readonly autoSleep: boolean;
    /** Hours each workspace is awake in a month (730 without auto-sleep). */
    readonly awakeHoursPerUser: number;
    /** Per user and month, USD. */
    readonly compute: number;
    readonly volume: number;
    readonly bucket: number;
    readonly egress: number;
    /** The fleet's pod, the load balancer and the cluster, shared by all users. */
    readonly shared: number;
    readonly perUser: number;
    readonly total: number;
}

const HoursPerMonth = 730;

/** A month of `users` on the scenario's prices, with or without auto-sleep (`idleMinutes` after each session). */
export function monthlyCost(prices: FleetPrices, scenario: UsageScenario, users: number, autoSleep: boolean, idleMinutes = 30): MonthlyCost {
    const activeWeekday = scenario.weekdayActiveShare.reduce((sum, share) => sum + share, 0);
    const activeHours = activeWeekday * (scenario.weekdaysPerMonth + scenario.weekendDaysPerMonth * scenario.weekendFactor);
    const tails = scenario.usersActiveOnWeekday * scenario.sessionsPerActiveDay * (idleMinutes / 60)
        * (scenario.weekdaysPerMonth + scenario.weekendDaysPerMonth * scenario.weekendFactor);
    const awakeHoursPerUser = autoSleep ? Math.min(HoursPerMonth, activeHours * (1 + scenario.agentShareOfActive) + tails) : HoursPerMonth;
    const rate = prices.autopilot[scenario.capacity];
    const podHour = scenario.vcpu * rate.vcpuHour + scenario.memoryGib * rate.gibHour;
    const compute = awakeHoursPerUser * podHour;
    const volume = scenario.volumeGib * (scenario.volumeClass === 'pdSsd' ? prices.disk.pdSsdGibMonth : prices.disk.pdBalancedGibMonth);
    const bucket = scenario.bucketStandardGib * prices.storage.standardGibMonth + scenario.bucketNearlineGib * prices.storage.nearlineGibMonth;
    const egress = activeHours * scenario.egressGibPerActiveHour * prices.egressGib;
    const fleetPod = HoursPerMonth * (scenario.fleetVcpu * prices.autopilot.regular.vcpuHour + scenario.fleetMemoryGib * prices.autopilot.regular.gibHour);
    const shared = (fleetPod + prices.fixedMonthly.clusterManagement + prices.fixedMonthly.loadBalancer) / users;
    const perUser = compute + volume + bucket + egress + shared;
    return { users, autoSleep, awakeHoursPerUser, compute, volume, bucket, egress, shared, perUser, total: perUser * users };
}
