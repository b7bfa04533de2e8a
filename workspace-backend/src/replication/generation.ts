import * as crypto from 'node:crypto';
import type { ObjectInfo, ObjectStore } from '../object-store/object-store';

/**
 * Replica layout in the object store:
 *   lease.json                                   the fencing lease (one per replica root)
 *   <db>/<generation>/0000000000.snapshot        the generation's base image
 *   <db>/<generation>/<sequence>.segment         WAL segments, sequence 1, 2, ... (10 digits)
 *   points/<stamp>-<rand>.json                   restore points: one instant of every database and the files (restore-point.ts)
 *
 * A generation is one unbroken chain: a snapshot and the segments that continue it. A new one
 * starts whenever continuity is lost (another connection checkpointed, the WAL vanished, a
 * restart we cannot verify) or a fresh snapshot is asked for. Generation ids sort by creation
 * time, so the newest is the last in key order.
 */
export const LEASE_KEY = 'lease.json';

export function newGenerationId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', 'T');
    return `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

export function snapshotKey(db: string, generation: string): string {
    return `${db}/${generation}/${'0'.repeat(10)}.snapshot`;
}

export function segmentKey(db: string, generation: string, sequence: number): string {
    return `${db}/${generation}/${String(sequence).padStart(10, '0')}.segment`;
}

export interface GenerationListing {
    generation: string;
    snapshot?: ObjectInfo;
    /** Segments in sequence order (may have gaps; the chain check finds them). */
    segments: { sequence: number; info: ObjectInfo }[];
    bytes: number;
}

/** Every generation of `db`, oldest first. */
export async function listGenerations(store: ObjectStore, db: string): Promise<GenerationListing[]> {
    const byGeneration = new Map<string, GenerationListing>();
    for await (const info of store.list(`${db}/`)) {
        const match = /^([^/]+)\/([^/]+)\/(\d{10})\.(snapshot|segment)$/.exec(info.key);
        if (!match || match[1] !== db) {
            continue;
        }
        const generation = match[2];
        let listing = byGeneration.get(generation);
        if (!listing) {
            listing = { generation, segments: [], bytes: 0 };
            byGeneration.set(generation, listing);
        }
        listing.bytes += info.size;
        if (match[4] === 'snapshot') {
            listing.snapshot = info;
        } else {
            listing.segments.push({ sequence: Number(match[3]), info });
        }
    }
    const listings = [...byGeneration.values()].sort((a, b) => a.generation < b.generation ? -1 : a.generation > b.generation ? 1 : 0);
    for (const listing of listings) {
        listing.segments.sort((a, b) => a.sequence - b.sequence);
    }
    return listings;
}
