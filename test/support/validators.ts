/**
 * External validators (terraform, promtool, ...) may be missing on a developer's machine; their tests then skip
 * with a printed reason. CI sets REQUIRE_VALIDATORS=1 (see .ci/run), which turns a missing validator into a failure.
 */
export const validatorsRequired = process.env.REQUIRE_VALIDATORS === '1';

/**
 * `describe` when the validator is available; otherwise a skipped block with the reason printed, or — when
 * validators are required — a failing test that names what is missing.
 */
export function describeWithValidator(title: string, unavailableReason: string | undefined, body: () => void): void {
  if (!unavailableReason) {
    describe(title, body);
    return;
  }
  if (validatorsRequired) {
    describe(title, () => {
      it('has its validator installed (REQUIRE_VALIDATORS=1)', () => {
        throw new Error(`${title}: ${unavailableReason}`);
      });
    });
    return;
  }
  console.warn(`SKIPPED ${title}: ${unavailableReason}`);
  describe.skip(title, body);
}
