/**
 * Pulumi engine events → one progress line each, and a tally of resource changes by type. Pure.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

const SYMBOL: Record<string, string> = {
    create: "+",
    update: "~",
    delete: "-",
    replace: "+-",
    "create-replacement": "++",
    "delete-replaced": "--",
    read: ">",
    refresh: "~",
    import: "=",
};

/** `urn:pulumi:stack::project::type::name` → `name`. */
function nameOf(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

/** A progress line for an event, or undefined for events not worth a line (same, stdout, prelude). */
export function formatEvent(event: EngineEvent): string | undefined {
    if (event.resourcePreEvent) {
        const m = event.resourcePreEvent.metadata;
        if (m.op === "same" || m.type === "pulumi:pulumi:Stack") return undefined;
        return `${SYMBOL[m.op] ?? m.op} ${m.op} ${m.type} ${nameOf(m.urn)}${event.resourcePreEvent.planning ? " (planned)" : " ..."}`;
    }
    if (event.resOutputsEvent) {
        const m = event.resOutputsEvent.metadata;
        if (m.op === "same" || event.resOutputsEvent.planning || m.type === "pulumi:pulumi:Stack")
            return undefined;
        return `  done ${m.op} ${m.type} ${nameOf(m.urn)}`;
    }
    if (event.resOpFailedEvent) {
        const m = event.resOpFailedEvent.metadata;
        return `  FAILED ${m.op} ${m.type} ${nameOf(m.urn)}`;
    }
    if (event.diagnosticEvent) {
        const d = event.diagnosticEvent;
        if (d.ephemeral || d.severity === "info#err" || !d.message.trim()) return undefined;
        // Diagnostics may carry terminal colour codes.
        const text = d.message
            .replace(/\u001b\[[0-9;]*m/g, "")
            .replace(/<\{%[^%]*%\}>/g, "")
            .trim();
        const where = d.urn ? ` ${nameOf(d.urn)}` : "";
        return `  ${d.severity}${where}: ${text}`;
    }
    if (event.policyEvent) {
        const p = event.policyEvent;
        return `  policy ${p.enforcementLevel} ${p.policyPackName}/${p.policyName}: ${p.message}`;
    }
    if (event.cancelEvent) return "cancelled";
    return undefined;
}

/** Counts of changed resources by type and operation (`same` left out), from resource pre-events. */
export class ChangeTally {
    readonly byType = new Map<string, Map<string, number>>();
    readonly failed: string[] = [];

    add(event: EngineEvent): void {
        if (event.resOpFailedEvent) {
            const m = event.resOpFailedEvent.metadata;
            this.failed.push(`${m.type} ${nameOf(m.urn)}`);
        }
        const m = event.resourcePreEvent?.metadata;
        if (!m || m.op === "same" || m.type === "pulumi:pulumi:Stack") return;
        const ops = this.byType.get(m.type) ?? new Map<string, number>();
        ops.set(m.op, (ops.get(m.op) ?? 0) + 1);
        this.byType.set(m.type, ops);
    }

    toJSON(): Record<string, Record<string, number>> {
        const out: Record<string, Record<string, number>> = {};
        for (const [type, ops] of [...this.byType].sort(([a], [b]) => a.localeCompare(b)))
            out[type] = Object.fromEntries(ops);
        return out;
    }
}
