/** The rules-file example of ../shared/spec/LANGUAGE.md §4, verbatim, shared by the syntax and rules tests. */
export const SPEC_RULES_EXAMPLE = `# segments
segment decideursSante:
  sector = "santé" and role in ["CEO", "CTO", "DG"]

segment cibleEmail:
  @decideursSante and not unsubscribed and emailConsent

# lead score: points per rule; 'per' multiplies by a number, 'max' caps one rule
score lead:
  +20 if role in ["CEO", "CTO", "CMO"]
  +10 if employees between 50 and 5000
  +5 per emailClicks30d max 25
  +15 if lastVisit < 7 days
  -30 if unsubscribed
  +10 per events where (type = "webinar") decaying 50% every 30 days by at
  clamp 0 to 100

# lifecycle: stages in journey order; a record is at the LAST stage whose condition holds
lifecycle stage:
  awareness
  evaluation if demoRequested or pricingViews > 0
  purchase   if orders >= 1
  retention  if orders >= 2 and lastPurchase < 12 months
  advocacy   if referrals > 0

# value tiers by thresholds, first match wins, or by share of a population
tiers value by sum(purchases.amount where date < 12 months):
  high   if >= 100k
  medium if >= 20k
  low    otherwise

tiers potential by employees quantiles:
  top    20%
  middle 30%
  rest   otherwise
`;

/** The `rfm` block LANGUAGE.md §4 shows after the example. */
export const SPEC_RFM_EXAMPLE = `rfm customers:
  recency   lastPurchase
  frequency count(purchases where date < 12 months)
  monetary  sum(purchases.amount where date < 12 months)
`;
