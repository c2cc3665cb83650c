import * as assert from "assert";
import { ScimLimitError } from "../../../scim";
import { checkLimits } from "../../../scim/engine/limits";
import { DesiredPrincipal, DesiredState, Operation } from "../../../scim/contract/model";

const p = (kind: DesiredPrincipal["kind"], i: number): DesiredPrincipal => ({
    kind,
    entraId: `${kind}${i}`,
    key: `${kind}${i}`,
    displayName: `${kind}${i}`,
    active: true,
});
const creates = (kind: DesiredPrincipal["kind"], n: number): Operation[] =>
    Array.from({ length: n }, (_, i) => ({ type: "create", principal: p(kind, i) }));
const none: DesiredState = { principals: new Map(), memberships: new Map() };

describe("scim account limits (pure)", () => {
    it("passes a plan that stays within the limits, up to exactly the limit", () => {
        checkLimits([...creates("user", 10), ...creates("servicePrincipal", 5)], none, {
            usersAndServicePrincipals: 9_985,
            groups: 0,
        });
        checkLimits(creates("group", 1), none, { groups: 4_999 });
    });

    it("stops on users + service principals over 10,000 with the figures", () => {
        assert.throws(
            () =>
                checkLimits([...creates("user", 10), ...creates("servicePrincipal", 1)], none, {
                    usersAndServicePrincipals: 9_990,
                    groups: 0,
                }),
            (e: Error) =>
                e instanceof ScimLimitError &&
                /nothing was written/.test(e.message) &&
                /9990 in the account \+ 11 to create = 10001, over the limit of 10000/.test(
                    e.message,
                ),
        );
    });

    it("names every crossed limit at once: groups and direct members of a group", () => {
        const members = Array.from({ length: 1_501 }, (_, i) => `user${i}`);
        const desired: DesiredState = {
            principals: new Map([["group0", p("group", 0)]]),
            memberships: new Map([["group0", members]]),
        };
        assert.throws(
            () => checkLimits(creates("group", 2), desired, { groups: 4_999 }),
            (e: Error) =>
                e instanceof ScimLimitError &&
                /groups: 4999 in the account \+ 2 to create = 5001/.test(e.message) &&
                /group "group0": 1501 direct members, over the limit of 1500/.test(e.message),
        );
    });

    it("does not count the account when nothing is created", () => {
        checkLimits([], none, {});
    });
});
