/** The person using the studio through one browser connection. */
export interface StudioUser {
    /** Stable id, `user:<name>`; the same form lock owners and the audit log use. */
    readonly id: string;
    readonly displayName: string;
    readonly role: 'developer' | 'admin';
}
