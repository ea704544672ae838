/**
 * The record schema of examples/b2b-france.cible: one contact of a French B2B company, with its
 * firmographics, technographics, behaviour, consent, preferred channel and the outcome of a
 * campaign. Tests compile the rules file against it.
 */
import { z } from "zod";

export const Secteur = z.enum(["santé", "finance", "assurances", "industrie", "commerce", "services", "tech", "public"]);

/** Headcount bands, in order (compared with `<`, `>=` …). */
export const Tranche = z.enum(["1-9", "10-49", "50-249", "250-999", "1000+"]).meta({ ordered: true });

export const Contact = z.object({
  id: z.string(),
  // Firmographics
  entreprise: z.string(),
  secteur: Secteur,
  effectif: z.number().int(),
  tranche: Tranche,
  chiffreAffaires: z.number().nullable(),
  region: z.enum([
    "Île-de-France",
    "Auvergne-Rhône-Alpes",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Hauts-de-France",
    "Grand Est",
    "Provence-Alpes-Côte d'Azur",
    "Pays de la Loire",
    "Bretagne",
    "Normandie",
    "Autre",
  ]),
  fonction: z.enum(["DG", "DAF", "DSI", "CTO", "DRH", "Directeur commercial", "Marketing", "Acheteur", "Autre"]),
  // Technographics
  technos: z.array(z.string()),
  crm: z.enum(["Salesforce", "HubSpot", "Pipedrive", "Sellsy", "Dynamics"]).nullable(),
  // Behaviour
  emailClicks30d: z.number().int(),
  pagesTarifs: z.number().int(),
  demoDemandee: z.boolean(),
  derniereVisite: z.date().nullable(),
  dernierAchat: z.date().nullable(),
  parrainages: z.number().int(),
  evenements: z.array(
    z.object({
      type: z.enum(["webinar", "salon", "livre blanc", "visite", "démo"]),
      at: z.date(),
    }),
  ),
  achats: z.array(z.object({ date: z.date(), montant: z.number() })),
  // Consent (RGPD) and preferred channel: consent is missing (null) for contacts imported without it
  optinEmail: z.boolean().nullable(),
  desinscrit: z.boolean(),
  dateConsentement: z.date().nullable(),
  canalPrefere: z.enum(["email", "telephone", "linkedin"]).nullable(),
  // Outcome of the spring campaign: an opportunity opened (null: not known yet)
  converti: z.boolean().nullable(),
});

export type Contact = z.infer<typeof Contact>;
