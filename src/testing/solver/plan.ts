/**
 * A plan: what a witness record must look like, before any value is chosen. Objects (the record,
 * nested objects, array elements) are instances with ids; each field that a chosen branch of the
 * rule constrains is a slot holding atoms; arrays of objects hold their elements and the goals
 * every element must meet ("all purchases where …"). Plans are copied at every branch of the
 * search, so they are small and plain.
 * @internal
 */
import type { ExprNode } from "../../ast/nodes.js";
import type { Field, FieldType, ObjectType } from "../../schema/model.js";
import type { GenField, GenObject } from "../gen-type.js";
import { fieldNamed } from "../gen-type.js";
import type { Atom, Sem } from "./atoms.js";

/** What a goal asks of an expression: TRUE, FALSE, unknown, not TRUE (FALSE or unknown), not FALSE (TRUE or unknown). */
export type Want = "T" | "F" | "U" | "N" | "P";

export type Goal =
  | { readonly kind: "expr"; readonly expr: ExprNode; readonly want: Want; readonly scope: readonly number[] }
  /** An atom on field `field` of instance `objId` (the slot is looked up in the plan the goal is met in). */
  | { readonly kind: "atom"; readonly objId: number; readonly field: Field; readonly atom: Atom };

/** An object instance of the witness. */
export interface ObjInst {
  readonly id: number;
  readonly type: ObjectType;
  readonly gen: GenObject | undefined;
  /** Dotted path of the object's fields (`""` for the record, `purchases` for its elements). */
  readonly path: string;
  readonly nested: Map<string, number>;
  readonly arrays: Map<string, ArrPlan>;
}

/** Every element of an array of objects meets `make(element)`, except the listed ones. */
export interface Forall {
  readonly make: (element: number) => Goal[];
  readonly except: ReadonlySet<number>;
}

export interface ArrPlan {
  elems: number[];
  foralls: Forall[];
  /** Exactly this many elements (`count(P) = k`). */
  size?: number;
  /** Whether the array must be present (true) or null/absent (false). */
  present?: boolean;
}

/** A field of an instance. */
export interface SlotRef {
  readonly objId: number;
  readonly field: Field;
  readonly gen: GenField | undefined;
  /** Dotted path from the record, without indexes. */
  readonly path: string;
}

/** A comparison between two fields. */
export interface Cross {
  readonly a: string;
  readonly b: string;
  readonly test: (a: Sem, b: Sem) => boolean;
  readonly type: FieldType;
}

/** `sum`/`avg` without `where`: the value of one element's field is computed from the others once they are chosen. */
export interface Fixup {
  readonly arrObj: number;
  readonly arrField: string;
  readonly elem: number;
  readonly field: string;
  readonly fn: "sum" | "avg";
  readonly target: number;
  readonly integer: boolean;
}

export const slotKey = (objId: number, name: string): string => `${objId}/${name}`;

export class Plan {
  objs: ObjInst[] = [];
  slots = new Map<string, SlotRef>();
  atoms = new Map<string, Atom[]>();
  /** Candidates of each slot that every atom accepts (recomputed when an atom is added). */
  cands = new Map<string, Sem[]>();
  presence = new Map<string, boolean>();
  cross: Cross[] = [];
  fixups: Fixup[] = [];

  static root(type: ObjectType, gen: GenObject | undefined): Plan {
    const p = new Plan();
    p.objs.push({ id: 0, type, gen, path: "", nested: new Map(), arrays: new Map() });
    return p;
  }

  clone(): Plan {
    const p = new Plan();
    p.objs = this.objs.map((o) => ({
      ...o,
      nested: new Map(o.nested),
      arrays: new Map([...o.arrays].map(([k, a]) => [k, { ...a, elems: [...a.elems], foralls: [...a.foralls] }])),
    }));
    p.slots = new Map(this.slots);
    p.atoms = new Map(this.atoms);
    p.cands = new Map(this.cands);
    p.presence = new Map(this.presence);
    p.cross = [...this.cross];
    p.fixups = [...this.fixups];
    return p;
  }

  /** The instance of a nested object field of `objId`, created on first use. */
  nestedOf(objId: number, field: Field): number {
    const o = this.objs[objId]!;
    const hit = o.nested.get(field.name);
    if (hit !== undefined) return hit;
    const gen = o.gen ? fieldNamed(o.gen, field.name) : undefined;
    const id = this.objs.length;
    const type = field.type as ObjectType;
    this.objs.push({
      id,
      type,
      gen: gen?.type.kind === "object" ? gen.type : undefined,
      path: o.path ? `${o.path}.${field.name}` : field.name,
      nested: new Map(),
      arrays: new Map(),
    });
    o.nested.set(field.name, id);
    return id;
  }

  /** The plan of an array-of-objects field of `objId`, created on first use. */
  arrayOf(objId: number, field: Field): ArrPlan {
    const o = this.objs[objId]!;
    let a = o.arrays.get(field.name);
    if (!a) {
      a = { elems: [], foralls: [] };
      o.arrays.set(field.name, a);
    }
    return a;
  }

  /** Adds an instance for a new element of an array of objects. */
  newInstance(parent: number, field: Field): number {
    const o = this.objs[parent]!;
    const gen = o.gen ? fieldNamed(o.gen, field.name) : undefined;
    const elementGen = gen?.type.kind === "array" && gen.type.element.kind === "object" ? gen.type.element : undefined;
    const id = this.objs.length;
    const type = (field.type as { element: ObjectType }).element;
    this.objs.push({
      id,
      type,
      gen: elementGen,
      path: o.path ? `${o.path}.${field.name}` : field.name,
      nested: new Map(),
      arrays: new Map(),
    });
    return id;
  }

  slotOf(objId: number, field: Field): SlotRef {
    const key = slotKey(objId, field.name);
    const hit = this.slots.get(key);
    if (hit) return hit;
    const o = this.objs[objId]!;
    const ref: SlotRef = {
      objId,
      field,
      gen: o.gen ? fieldNamed(o.gen, field.name) : undefined,
      path: o.path ? `${o.path}.${field.name}` : field.name,
    };
    this.slots.set(key, ref);
    return ref;
  }
}
