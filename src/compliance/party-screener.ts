// The bridge from the sanctions screener to payments: screens the debtor's and creditor's
// names and turns the outcome into the verdict a payment carries into the engine. A name
// that cannot be screened (too long, empty) is treated as a hit, so that it goes to review.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartyScreener } from '../service/service.js';
import type { ScreeningMatch, ScreeningVerdict } from '../engine/payments/model.js';
import type { SanctionsEntry } from './model.js';
import { loadOfacSdnCsv } from './ofac-csv.js';
import { loadOfacSdnXml } from './ofac-xml.js';
import {
  createSanctionsScreener,
  type SanctionsScreener,
  type ScreenerOptions,
} from './screener.js';
import { loadUnConsolidatedXml } from './un-list.js';

/** Matches carried on a payment at most, per party. */
const MATCHES_PER_PARTY_MAX = 5;
/**
 * Screening results remembered per name. Trade payments name the same companies again and
 * again, and a result depends only on the name and the loaded lists (fixed for a screener).
 */
export const SCREENING_CACHE_NAMES_MAX = 50_000;

/** One match as a payment's verdict carries it (without the party: verdictOf adds that). */
export interface NameMatch {
  readonly source: string;
  readonly listId: string;
  readonly matchedName: string;
  readonly score: number;
}

/**
 * What screening one party's name gave, reduced to what a payment's verdict needs: small and
 * plain, so that a screening thread can send it to the writer's thread.
 */
export type NameScreening =
  | { readonly ok: false; readonly code: string }
  | { readonly ok: true; readonly hit: boolean; readonly matches: readonly NameMatch[] };

/** Screens one name against `screener` and keeps what a verdict needs. */
export function screenName(screener: SanctionsScreener, name: string): NameScreening {
  const result = screener.screen([name]);
  if (!result.ok) return { ok: false, code: result.code };
  return {
    ok: true,
    hit: result.hit,
    matches: result.matches.slice(0, MATCHES_PER_PARTY_MAX).map((match) => ({
      source: match.source,
      listId: match.listId,
      matchedName: match.matchedName,
      score: match.score,
    })),
  };
}

/**
 * The verdict a payment carries: a hit when either name is one, or could not be screened (a
 * name too long or empty, or the screening failed: `code`), so that it goes to review.
 */
export function verdictOf(
  debtor: NameScreening,
  creditor: NameScreening,
  listVersion: string,
): ScreeningVerdict {
  const matches: ScreeningMatch[] = [];
  let hit = false;
  for (const [party, result] of [['debtor', debtor], ['creditor', creditor]] as const) {
    if (!result.ok) {
      hit = true;
      matches.push({ party, source: 'screening', listId: result.code, matchedName: '', score: 1 });
      continue;
    }
    hit ||= result.hit;
    for (const match of result.matches) matches.push({ party, ...match });
  }
  return { hit, matches, listVersion };
}

/** Names and what screening them gave, the oldest forgotten past SCREENING_CACHE_NAMES_MAX. */
export class NameScreeningCache {
  private readonly known = new Map<string, NameScreening>();

  get(name: string): NameScreening | undefined {
    return this.known.get(name);
  }

  set(name: string, result: NameScreening): void {
    if (this.known.size >= SCREENING_CACHE_NAMES_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(name, result);
  }
}

/** A party screener that answers at once, in the caller's thread. */
export interface InThreadPartyScreener extends PartyScreener {
  screenParties(parties: { debtor: string; creditor: string }): ScreeningVerdict;
}

/** A screener in the caller's thread (tests, the library, `screeningThreads: 0`). */
export function partyScreener(
  screener: SanctionsScreener,
  listVersion: string,
): InThreadPartyScreener {
  const cache = new NameScreeningCache();
  const screen = (name: string): NameScreening => {
    const known = cache.get(name);
    if (known !== undefined) return known;
    const result = screenName(screener, name);
    cache.set(name, result);
    return result;
  };
  return {
    screenParties: (parties) =>
      verdictOf(screen(parties.debtor), screen(parties.creditor), listVersion),
  };
}

/** Which files of a sanctions directory to read, when they are not named as published. */
export interface ListFiles {
  readonly unFile?: string;
  readonly ofacFile?: string;
  readonly ofacAliasFile?: string;
  readonly ofacXmlFile?: string;
}

/**
 * Loads the UN consolidated list (consolidated.xml) and the OFAC SDN list, as SDN.XML and/or
 * the legacy CSV files (sdn.csv, alt.csv), found in `directory` (or the shipped samples'
 * names); a missing file is skipped. Throws on a malformed list: a node must not start with a
 * screener it could not fill.
 *
 * The list version each verdict carries names every list by the date the file itself states:
 * the UN list's dateGenerated, OFAC's Publish_Date (SDN.XML has one; the legacy CSV has none,
 * so an OFAC list read from the CSV alone is `ofac:undated`). When both OFAC files are there,
 * both are loaded (an entry in both counts once, as SDN.XML has it).
 */
export function loadScreenerFromDirectory(
  directory: string,
  options: ScreenerOptions & ListFiles = {},
): { screener: InThreadPartyScreener; entries: number; listVersion: string } {
  const loaded = loadSanctionsLists(directory, options);
  return { ...loaded, screener: partyScreener(loaded.screener, loaded.listVersion) };
}

/** The lists of `directory` loaded into a sanctions screener (see loadScreenerFromDirectory). */
export function loadSanctionsLists(
  directory: string,
  options: ScreenerOptions & ListFiles = {},
): { screener: SanctionsScreener; entries: number; listVersion: string } {
  const screener = createSanctionsScreener(options);
  // The official files' names first, then the names of the samples shipped in data/sanctions.
  const read = (...names: string[]): string | undefined => {
    for (const name of names) {
      try {
        return readFileSync(join(directory, name), 'utf8');
      } catch {
        continue;
      }
    }
    return undefined;
  };
  const versions: string[] = [];
  const un = read(options.unFile ?? 'consolidated.xml', 'un_consolidated_sample.xml');
  if (un !== undefined) {
    const list = loadUnConsolidatedXml(un);
    if (!list.ok) throw new Error(`UN list: ${list.message}`);
    screener.load(list.entries);
    versions.push(`un:${list.publishedAt ?? 'undated'}`);
  }
  const ofac: SanctionsEntry[] = [];
  let ofacDate: string | undefined;
  const xml = read(options.ofacXmlFile ?? 'SDN.XML', 'sdn.xml', 'ofac_sdn_xml_sample.xml');
  if (xml !== undefined) {
    const list = loadOfacSdnXml(xml);
    if (!list.ok) throw new Error(`OFAC list (SDN.XML): ${list.message}`);
    ofac.push(...list.entries);
    ofacDate = list.publishedAt;
  }
  const sdn = read(options.ofacFile ?? 'sdn.csv', 'ofac_sdn_sample.csv');
  if (sdn !== undefined) {
    const alt = read(options.ofacAliasFile ?? 'alt.csv', 'ofac_alt_sample.csv');
    const list = loadOfacSdnCsv(alt === undefined ? { sdn } : { sdn, alt });
    if (!list.ok) throw new Error(`OFAC list: ${list.message}`);
    const known = new Set(ofac.map((entry) => entry.listId));
    ofac.push(...list.entries.filter((entry) => !known.has(entry.listId)));
    ofacDate ??= list.publishedAt;
  }
  if (xml !== undefined || sdn !== undefined) {
    screener.load(ofac);
    versions.push(`ofac:${ofacDate ?? 'undated'}`);
  }
  return { screener, entries: screener.size, listVersion: versions.join(',') };
}

/** The sample lists shipped in data/sanctions (for the demo and tests, not for production). */
export const SANCTIONS_SAMPLE_DIRECTORY = fileURLToPath(
  new URL('../../data/sanctions/', import.meta.url),
);
