// Corridor's FX quote identifier, carried in a transaction's SplmtryData under Corridor's own
// namespace (see docs/iso20022.md for why SplmtryData and not remittance or agent instructions).
import { FX_QUOTE_ID_LENGTH_MAX } from './limits.js';
import type { SupplementaryData } from './model.js';
import { joinPath, report, type ParseContext } from './parse-context.js';
import { childElement, type XmlElement } from './xml-element.js';

export const CORRIDOR_QUOTE_NAMESPACE = 'urn:corridor:iso20022:quote:1';
export const CORRIDOR_QUOTE_ELEMENT = 'CorridorQuote';
const QUOTE_IDENTIFIER_ELEMENT = 'QuoteIdentifier';
const QUOTE_IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function isValidCorridorQuoteId(quoteId: string): boolean {
  return quoteId.length <= FX_QUOTE_ID_LENGTH_MAX && QUOTE_IDENTIFIER_PATTERN.test(quoteId);
}

function isCorridorQuote(envelope: XmlElement): boolean {
  return (
    envelope.namespace === CORRIDOR_QUOTE_NAMESPACE && envelope.name === CORRIDOR_QUOTE_ELEMENT
  );
}

/**
 * Returns a SplmtryData consumer that claims Corridor's quote extension and records its
 * identifier through `found`; other supplementary data is left alone.
 */
export function corridorQuoteConsumer(context: ParseContext, found: (quoteId: string) => void) {
  let seen = false;
  return (data: SupplementaryData, path: string): boolean => {
    if (!isCorridorQuote(data.envelope)) return false;
    const quotePath = joinPath(path, `Envlp/${CORRIDOR_QUOTE_ELEMENT}/${QUOTE_IDENTIFIER_ELEMENT}`);
    const quoteId = childElement(data.envelope, QUOTE_IDENTIFIER_ELEMENT)?.text;
    if (seen) {
      report(
        context,
        'value_malformed',
        quotePath,
        'The transaction carries more than one Corridor quote.',
      );
    } else if (quoteId === undefined || !isValidCorridorQuoteId(quoteId)) {
      report(
        context,
        'value_malformed',
        quotePath,
        'The Corridor quote identifier is missing or malformed.',
      );
    } else {
      found(quoteId);
    }
    seen = true;
    return true;
  };
}

/** The SplmtryData entry carrying a Corridor quote identifier for one transaction. */
export function corridorQuoteSupplementaryData(
  quoteId: string,
  placeAndName: string,
): SupplementaryData {
  const envelope: XmlElement = {
    namespace: CORRIDOR_QUOTE_NAMESPACE,
    name: CORRIDOR_QUOTE_ELEMENT,
    attributes: [],
    text: '',
    children: [
      {
        namespace: CORRIDOR_QUOTE_NAMESPACE,
        name: QUOTE_IDENTIFIER_ELEMENT,
        attributes: [],
        children: [],
        text: quoteId,
      },
    ],
  };
  return { placeAndName, envelope };
}
