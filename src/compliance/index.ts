// Sanctions screening: list loaders, name normalisation and matching, and the screener.
export * from './model.js';
export * from './limits.js';
export {
  decodeListContent,
  readListFile,
  type BytesResult,
  type ListContent,
  type TextResult,
} from './list-input.js';
export { loadUnConsolidatedXml } from './un-list.js';
export { loadOfacSdnCsv, type OfacCsvFiles } from './ofac-csv.js';
export { loadOfacSdnXml } from './ofac-xml.js';
export { loadOpenSanctionsFtm } from './opensanctions-ftm.js';
export { findForbiddenMarkup } from './safe-xml.js';
export {
  foldText,
  glueParticles,
  isLowInformationWord,
  normalizeName,
  type GluedWords,
} from './normalize.js';
export { jaroSimilarity, jaroWinklerSimilarity } from './jaro-winkler.js';
export * from './name-score.js';
export * from './screener.js';
export { runScreeningBenchmark, syntheticEntries, type BenchmarkReport } from './benchmark.js';
