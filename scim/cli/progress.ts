/** The `scim-sync` progress bar on stderr (cli-progress): one bar per engine phase, log lines above it. */
import * as cliProgress from "cli-progress";
import type { OutStream, ProgressBar } from "./run";

export function progressBar(stream: OutStream): ProgressBar {
    const multi = new cliProgress.MultiBar(
        {
            stream: stream as NodeJS.WritableStream,
            format: " {phase} [{bar}] {value}/{total}",
            hideCursor: true,
            clearOnComplete: true,
            // Redraw on every update: phases can be short.
            fps: 10,
        },
        cliProgress.Presets.shades_classic,
    );
    let bar: cliProgress.SingleBar | undefined;
    let phase = "";
    return {
        update(p) {
            if (!bar) bar = multi.create(Math.max(p.total, 1), p.done, { phase: p.phase });
            if (p.phase !== phase) {
                phase = p.phase;
                bar.setTotal(Math.max(p.total, 1));
            }
            bar.update(p.done, { phase: p.phase });
        },
        log: (line) => multi.log(line),
        stop: () => multi.stop(),
    };
}
