/**
 * What every question to the service shares: the schema model, the kind of text, the declared
 * parameters and the clock for hovers.
 * @internal
 */
import type { SchemaModel } from "../schema/model.js";

export interface ServiceContext {
  readonly model: SchemaModel;
  readonly rules: boolean;
  readonly params: Readonly<Record<string, string>>;
  readonly now?: Date | string | number;
  readonly timeZone?: string;
}
