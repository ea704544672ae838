/**
 * The testing kit (`cible/testing`): fast-check arbitraries of records and rules, witnesses of
 * segments, and property helpers between segments. fast-check is a peer dependency.
 */
export { recordArbitrary, type RecordConstraints } from "./arbitrary/record.js";
export { ruleArbitrary, ruleNodeArbitrary, type RuleConstraints, type RuleFeature } from "./arbitrary/rule.js";
export { textArbitrary, type TextConstraints } from "./arbitrary/text.js";
export { numberArbitrary, type NumberConstraints } from "./arbitrary/number.js";
export { dateArbitrary, type DateConstraints } from "./arbitrary/date.js";
export { enumArbitrary, type EnumConstraints } from "./arbitrary/enum.js";
export { matchingRecord, nonMatchingRecord, type WitnessOptions } from "./witness.js";
export { assertImplies, assertDisjoint, assertEquivalent, SegmentLawError, type LawOptions, type Law } from "./laws.js";
export { withSchema } from "./registry.js";
