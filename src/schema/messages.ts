/**
 * The codes and sentences `readSchema` produces, in one place. @internal
 */

export const SCHEMA_CODES = {
  notObject: "schema.not-object",
  unsupported: "schema.unsupported",
  enumOrder: "schema.enum-order",
} as const;

/** How values are listed in messages: quoted as they are written in rules. */
function listed(vs: readonly string[], max = 12): string {
  const shown = vs.slice(0, max).map((v) => JSON.stringify(v));
  return vs.length > max ? `${shown.join(", ")}, … (${vs.length} in all)` : shown.join(", ");
}

const ORDER = "`.meta({ ordered: [...] })`";
const ORDER_HINT = "list each value of the enum once, in order";

export interface SchemaWording {
  readonly message: string;
  readonly hint: string;
}

export const SM = {
  notZod(): SchemaWording {
    return {
      message: "The schema is not a zod schema: cible needs a zod object schema describing one record.",
      hint: "pass a schema such as `z.object({ sector: z.string(), employees: z.number() })`",
    };
  },
  notObject(zodType: string): SchemaWording {
    return {
      message: `The schema is a zod ${zodType}, not an object: cible needs a zod object schema describing one record.`,
      hint: "wrap the fields in `z.object({ ... })`",
    };
  },
  /** `what` describes the problem when it is more than the zod type itself (a transform, a union of different types). */
  unsupported(path: string, zodType: string, what: string, hint?: string): SchemaWording {
    const described = what === zodType ? `zod type \`${zodType}\`` : `${what} (zod type \`${zodType}\`)`;
    const top = (path.split(".")[0] ?? path).replace(/\[\]$/, "");
    return {
      message: `The field \`${path}\` has a ${described} that cible cannot use in rules.`,
      hint:
        hint ??
        `cible understands strings, numbers, booleans, dates, enums, nested objects and arrays of those; leave the field out of the schema you give cible (for example \`schema.omit({ ${top}: true })\`)`,
    };
  },
  orderNotEnum(path: string): SchemaWording {
    return {
      message: `The field \`${path}\` has ${ORDER}, but it is not an enum: only an enum's values have an order to give.`,
      hint: "put the order on the `z.enum([...])` itself",
    };
  },
  orderNotText(path: string, value: unknown): SchemaWording {
    return {
      message: `The order of \`${path}\` in ${ORDER} lists ${JSON.stringify(value) ?? String(value)}, which is not text: it must list exactly the enum's values.`,
      hint: ORDER_HINT,
    };
  },
  orderUnknown(path: string, value: string, values: readonly string[]): SchemaWording {
    return {
      message: `The order of \`${path}\` in ${ORDER} lists ${JSON.stringify(value)}, which is not a value of the enum: it must list exactly the enum's values.`,
      hint: `${ORDER_HINT}; its values are ${listed(values)}`,
    };
  },
  orderTwice(path: string, value: string): SchemaWording {
    return {
      message: `The order of \`${path}\` in ${ORDER} lists ${JSON.stringify(value)} twice: it must list exactly the enum's values.`,
      hint: ORDER_HINT,
    };
  },
  orderMissing(path: string, missing: readonly string[]): SchemaWording {
    return {
      message: `The order of \`${path}\` in ${ORDER} leaves out ${listed(missing)}: it must list exactly the enum's values.`,
      hint: ORDER_HINT,
    };
  },
  transform: "cible cannot see what a `.transform()` returns; declare the field's output type instead (for example with `.pipe(z.number())`)",
  mixedUnion:
    "a field must have one type; a union is understood only with `null` (nullable) or when all its members are string literals (an enum)",
  enumStrings: 'use an enum of strings: `z.enum(["a", "b"])`',
  duplicate: "two fields have the same name once Unicode-normalised (NFC); rename one",
  recursive: "cible reads a fixed depth of nested objects; remove the recursive field",
  arrayOfArrays: "cible reads arrays of scalars, enums or objects; wrap the inner array in an object",
  bigint: "use `z.number()` (or `z.coerce.number()`)",
};
