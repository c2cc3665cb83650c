/** The scim-sync progress bar draws on a terminal stream, keeps log lines above it and clears at the end. */
import * as assert from "assert";
import { progressBar } from "../../../scim/cli/progress";

class FakeTty {
    readonly isTTY = true;
    readonly columns = 100;
    text = "";
    write(s: string) {
        this.text += s;
        return true;
    }
    // What cli-progress may call on a TTY stream.
    cursorTo() {
        return true;
    }
    moveCursor() {
        return true;
    }
    clearLine() {
        return true;
    }
    clearScreenDown() {
        return true;
    }
    on() {
        return this;
    }
    removeListener() {
        return this;
    }
}

describe("scim-sync progress bar", () => {
    // cli-progress redraws on a timer (10 per second here).
    const frame = () => new Promise((r) => setTimeout(r, 150));

    it("renders the phase and counts, logs above the bar, and stops", async () => {
        const tty = new FakeTty();
        const bar = progressBar(tty);
        bar.update({ phase: "apply-principals", done: 3, total: 8 });
        await frame();
        bar.log("info: created alice@contoso.com\n");
        bar.update({ phase: "apply-members", done: 1, total: 2 });
        await frame();
        bar.stop();
        assert.match(tty.text, /apply-principals \[[^\]]*\] 3\/8/);
        assert.match(tty.text, /info: created alice@contoso.com/);
        assert.match(tty.text, /apply-members \[[^\]]*\] 1\/2/);
    });
});
