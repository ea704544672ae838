/**
 * The data both engine tests (--engine duckdb, --engine clickhouse) run: a rules file with a
 * channel, a split and an RFM model over the small schema, and records written as a French `;`
 * CSV (decimal commas, day-first dates, oui/non, NFD text) and as NDJSON.
 */
import { readFileSync } from "node:fs";
import { SMALL_RULES } from "./helpers.js";

export const ENGINE_RULES = `${SMALL_RULES}
channel email:
  optin

split test by id:
  a 30%
  b 70%

rfm valeur:
  recency dernierAchat
  frequency effectif
  monetary ca
`;
export const NOW = "2026-06-01T00:00:00Z";
const SECTEURS = ["santé", "sante\u0301", "finance", "industrie", "", "autre"];
const TECHNOS = ["Salesforce|Slack", "", "HubSpot", "Salesforce", "Slack;Salesforce"];

/** Record `i`: the fields as the French CSV and the NDJSON write them. */
export function row(i: number): { csv: string; json: Record<string, unknown> } {
  const effectif = i % 7 === 0 ? null : (i * 37) % 1500;
  const ca = i % 5 === 0 ? null : ((i * 13) % 400) / 8;
  const day = i % 6 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + ((i * 11) % 520) * 86_400_000);
  const dd = day ? `${String(day.getUTCDate()).padStart(2, "0")}/${String(day.getUTCMonth() + 1).padStart(2, "0")}/${day.getUTCFullYear()}` : "";
  const secteur = SECTEURS[i % SECTEURS.length]!;
  const technos = TECHNOS[i % TECHNOS.length]!;
  const optin = i % 3 === 0 ? "oui" : i % 3 === 1 ? "non" : "";
  const caText = ca === null ? "" : String(ca).replace(".", ",");
  const csv = [`c${i}`, `"Entreprise ${i}; SA"`, secteur, effectif ?? "", caText, `"${technos}"`, optin, dd].join(";");
  const json = {
    id: `c${i}`,
    entreprise: `Entreprise ${i}; SA`,
    secteur: secteur === "" ? null : secteur,
    effectif,
    ca,
    technos: technos === "" ? [] : technos.split(/[|;]/),
    optin: optin === "" ? null : optin === "oui",
    dernierAchat: day ? day.toISOString().slice(0, 10) : null,
  };
  return { csv, json };
}
export const HEADER = "id;entreprise;secteur;effectif;ca;technos;optin;dernierAchat";
export const N = 60;
export const rows = Array.from({ length: N }, (_, i) => row(i + 1));

/** The lines of an `--out` file. */
export const lines = (path: string): string[] => readFileSync(path, "utf8").trimEnd().split("\n");
