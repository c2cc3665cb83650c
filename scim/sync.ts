// PLACEHOLDER: issue 7 replaces this with the engine (read both sides → plan → apply).
import { SyncOptions, SyncResult } from "./api";

export async function runSync(_options: SyncOptions): Promise<SyncResult> {
    throw new Error("SCIM sync engine not implemented yet");
}
