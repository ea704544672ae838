// Minimal declarations for peers that ship no types (benchmark only).
declare module "jexl" {
  const jexl: { compile(expr: string): { evalSync(context: unknown): unknown } };
  export default jexl;
}
declare module "json-logic-js" {
  const jsonLogic: { apply(logic: unknown, data: unknown): unknown };
  export default jsonLogic;
}
