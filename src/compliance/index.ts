// Sanctions screening: list loaders, name normalisation and matching, and the screener.
export * from './model.js';
export * from './limits.js';
export { readListFile, type ListContent, type BytesResult } from './list-input.js';
export { loadUnConsolidatedXml } from './un-list.js';
export { loadOfacSdnCsv, type OfacCsvFiles } from './ofac-csv.js';
export { loadOfacSdnXml } from './ofac-xml.js';
export { loadOpenSanctionsFtm } from './opensanctions-ftm.js';
export { findForbiddenMarkup } from './safe-xml.js';
export { foldText, glueParticles, isLowInformationWord, normalizeName } from './normalize.js';
export { jaroSimilarity, jaroWinklerSimilarity } from './jaro-winkler.js';
export {
  FUZZY_WORD_LENGTH_MIN,
  WORD_SIMILARITY_FLOOR,
  blockingKeys,
  nameReadings,
  scoreNames,
  wordSimilarity,
} from './name-score.js';
export * from './screener.js';
export { runScreeningBenchmark, syntheticEntries, type BenchmarkReport } from './benchmark.js';
