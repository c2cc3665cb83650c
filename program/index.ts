/** What the root program (index.ts) uses of program/ besides the config readers (program/config). */
export { assertFreshBuild } from "./buildCheck";
