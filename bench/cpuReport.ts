/**
 * Preloaded (`node --require`) into a child process by the bench: writes the process's own CPU time
 * to $CPU_REPORT_FILE when it exits, so the CLI's CPU is measured apart from the emulators'.
 */
import * as fs from "fs";

process.on("exit", () => {
    const file = process.env.CPU_REPORT_FILE;
    if (!file) return;
    const u = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ userMs: u.user / 1000, systemMs: u.system / 1000 }));
});
